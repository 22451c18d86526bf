use athanor::orm::Collection;
use athanor::prelude::*;

#[derive(Debug, Clone, PartialEq, Default, Model)]
struct Artist {
    #[athanor(primary_key)]
    id: i64,
}

#[derive(Debug, Clone, PartialEq, Default, Model)]
struct Playlist {
    #[athanor(primary_key)]
    id: i64,
    #[athanor(many_to_many)]
    artists: Collection<Artist>,
}

fn main() {}
