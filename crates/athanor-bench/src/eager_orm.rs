//! The eager-loading rows through the ORM: models with relationships for the nested
//! users → posts → comments tables and for Chinook's Artist → Album → Track → Genre, loaded
//! with `selectin` at every level (one `IN` query per level, 500 keys a query), the result
//! read back out of the session into the same plain tree the other cells build.

use std::collections::HashMap;
use std::rc::Rc;

use athanor::orm::{Collection, Related, selectin};
use athanor::prelude::*;
use rust_decimal::Decimal;

use crate::eager::{Album, Artist, ChinookTree, Genre, Track};
use crate::{Comment, Nested, Post, User};

#[derive(Debug, Clone, PartialEq, Model)]
#[athanor(table = "users")]
pub struct UserObj {
    #[athanor(primary_key)]
    pub id: i64,
    pub name: String,
    pub hair_color: Option<String>,
    pub posts: Collection<PostObj>,
}

#[derive(Debug, Clone, PartialEq, Model)]
#[athanor(table = "posts")]
pub struct PostObj {
    #[athanor(primary_key)]
    pub id: i64,
    #[athanor(foreign_key = "users.id")]
    pub user_id: i64,
    pub title: String,
    pub body: Option<String>,
    pub comments: Collection<CommentObj>,
}

#[derive(Debug, Clone, PartialEq, Model)]
#[athanor(table = "comments")]
pub struct CommentObj {
    #[athanor(primary_key)]
    pub id: i64,
    #[athanor(foreign_key = "posts.id")]
    pub post_id: i64,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Model)]
#[athanor(table = "Artist")]
pub struct ArtistObj {
    #[athanor(primary_key, column = "ArtistId")]
    pub id: i64,
    #[athanor(column = "Name")]
    pub name: Option<String>,
    pub albums: Collection<AlbumObj>,
}

#[derive(Debug, Clone, PartialEq, Model)]
#[athanor(table = "Album")]
pub struct AlbumObj {
    #[athanor(primary_key, column = "AlbumId")]
    pub id: i64,
    #[athanor(column = "Title")]
    pub title: String,
    #[athanor(column = "ArtistId", foreign_key = "Artist.ArtistId")]
    pub artist_id: i64,
    pub tracks: Collection<TrackObj>,
}

#[derive(Debug, Clone, PartialEq, Model)]
#[athanor(table = "Genre")]
pub struct GenreObj {
    #[athanor(primary_key, column = "GenreId")]
    pub id: i64,
    #[athanor(column = "Name")]
    pub name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Model)]
#[athanor(table = "Track")]
pub struct TrackObj {
    #[athanor(primary_key, column = "TrackId")]
    pub id: i64,
    #[athanor(column = "Name")]
    pub name: String,
    #[athanor(column = "AlbumId", foreign_key = "Album.AlbumId")]
    pub album_id: Option<i64>,
    #[athanor(column = "MediaTypeId")]
    pub media_type_id: i64,
    #[athanor(column = "GenreId", foreign_key = "Genre.GenreId")]
    pub genre_id: Option<i64>,
    #[athanor(column = "Composer")]
    pub composer: Option<String>,
    #[athanor(column = "Milliseconds")]
    pub milliseconds: i64,
    #[athanor(column = "Bytes")]
    pub bytes: Option<i64>,
    #[athanor(column = "UnitPrice")]
    pub unit_price: Decimal,
    pub genre: Related<GenreObj>,
}

/// Users → posts → comments through a new session: 3 statements.
pub fn nested(engine: &Engine) -> Nested {
    let mut s = Session::new(engine);
    let users = s
        .query::<UserObj>()
        .options(selectin(UserObj::posts).selectin(PostObj::comments))
        .all()
        .unwrap();
    let mut out = Vec::with_capacity(users.len());
    for u in users {
        let u = s.peek(u).unwrap();
        let mut posts = Vec::new();
        for &p in u.posts.iter().unwrap().collect::<Vec<_>>().iter() {
            let p = s.peek(p).unwrap();
            let comments = p
                .comments
                .iter()
                .unwrap()
                .map(|c| {
                    let c = s.peek(c).unwrap();
                    Comment {
                        id: c.id,
                        post_id: c.post_id,
                        text: c.text.clone(),
                    }
                })
                .collect();
            posts.push((
                Post {
                    id: p.id,
                    user_id: p.user_id,
                    title: p.title.clone(),
                    body: p.body.clone(),
                },
                comments,
            ));
        }
        out.push((
            User {
                id: u.id,
                name: u.name.clone(),
                hair_color: u.hair_color.clone(),
            },
            posts,
        ));
    }
    out
}

/// Artists → albums → tracks → genre through a new session: 4 statements.
pub fn chinook(engine: &Engine) -> ChinookTree {
    let mut s = Session::new(engine);
    let artists = s
        .query::<ArtistObj>()
        .options(
            selectin(ArtistObj::albums)
                .selectin(AlbumObj::tracks)
                .selectin(TrackObj::genre),
        )
        .all()
        .unwrap();
    let mut genres: HashMap<Ref<GenreObj>, Rc<Genre>> = HashMap::new();
    let mut out = Vec::with_capacity(artists.len());
    for a in artists {
        let a = s.peek(a).unwrap();
        let mut albums = Vec::new();
        for al in a.albums.iter().unwrap() {
            let al = s.peek(al).unwrap();
            let mut tracks = Vec::new();
            for t in al.tracks.iter().unwrap() {
                let t = s.peek(t).unwrap();
                let genre = t.genre.get().unwrap().map(|g| {
                    genres
                        .entry(g)
                        .or_insert_with(|| {
                            let g = s.peek(g).unwrap();
                            Rc::new(Genre {
                                id: g.id,
                                name: g.name.clone(),
                            })
                        })
                        .clone()
                });
                tracks.push((
                    Track {
                        id: t.id,
                        name: t.name.clone(),
                        album_id: t.album_id,
                        media_type_id: t.media_type_id,
                        genre_id: t.genre_id,
                        composer: t.composer.clone(),
                        milliseconds: t.milliseconds,
                        bytes: t.bytes,
                        unit_price: t.unit_price,
                    },
                    genre,
                ));
            }
            albums.push((
                Album {
                    id: al.id,
                    title: al.title.clone(),
                    artist_id: al.artist_id,
                },
                tracks,
            ));
        }
        out.push((
            Artist {
                id: a.id,
                name: a.name.clone(),
            },
            albums,
        ));
    }
    out
}
