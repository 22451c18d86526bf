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
    #[athanor(foreign_key = "Artist.id", back_populates = "albums")]
    artist_id: i64,
}

fn main() {}
