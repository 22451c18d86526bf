use athanor::prelude::*;

#[derive(Clone, PartialEq, Model)]
struct Album {
    #[athanor(primary_key)]
    id: i64,
    #[athanor(foreign_key = "ArtistId")]
    artist_id: i64,
}

fn main() {}
