use athanor::orm::Collection;
use athanor::prelude::*;

#[derive(Debug, Clone, PartialEq, Default, Model)]
struct Artist {
    #[athanor(primary_key)]
    id: i64,
}

#[derive(Debug, Clone, PartialEq, Default, Model)]
struct Album {
    #[athanor(primary_key)]
    id: i64,
    #[athanor(foreign_key = "Artist.id")]
    artist_id: i64,
    #[athanor(many_to_one)]
    artists: Collection<Artist>,
}

fn main() {}
