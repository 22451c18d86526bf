//! SeaORM's loader (`LoaderTrait::load_many` / `load_one`, one hop per call, all parents' keys
//! in one `IN` list) on the eager-loading rows, through sqlx on a current-thread tokio runtime.
//! Its models are moved into the peers' records at the end, so the trees compare with the raw
//! driver's.

use std::collections::HashMap;
use std::rc::Rc;

use sea_orm::LoaderTrait;
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, EntityTrait};

use super::{Album, Artist, Genre, Price, Track, Tree};
use crate::{Comment, Customer, Nested, Post, User, Workloads};

macro_rules! entity {
    ($m:ident, $table:literal, { $($body:tt)* }, { $($rel:tt)* }, { $($related:tt)* }) => {
        pub mod $m {
            use sea_orm::entity::prelude::*;
            #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
            #[sea_orm(table_name = $table)]
            pub struct Model { $($body)* }
            #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
            pub enum Relation { $($rel)* }
            $($related)*
            impl ActiveModelBehavior for ActiveModel {}
        }
    };
}

entity!(users, "users", {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub name: String,
    pub hair_color: Option<String>,
}, {
    #[sea_orm(has_many = "super::posts::Entity")]
    Posts,
}, {
    impl Related<super::posts::Entity> for Entity {
        fn to() -> RelationDef {
            Relation::Posts.def()
        }
    }
});

entity!(posts, "posts", {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub user_id: i32,
    pub title: String,
    pub body: Option<String>,
}, {
    #[sea_orm(belongs_to = "super::users::Entity", from = "Column::UserId", to = "super::users::Column::Id")]
    Users,
    #[sea_orm(has_many = "super::comments::Entity")]
    Comments,
}, {
    impl Related<super::comments::Entity> for Entity {
        fn to() -> RelationDef {
            Relation::Comments.def()
        }
    }
    impl Related<super::users::Entity> for Entity {
        fn to() -> RelationDef {
            Relation::Users.def()
        }
    }
});

entity!(comments, "comments", {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub post_id: i32,
    pub text: String,
}, {
    #[sea_orm(belongs_to = "super::posts::Entity", from = "Column::PostId", to = "super::posts::Column::Id")]
    Posts,
}, {
    impl Related<super::posts::Entity> for Entity {
        fn to() -> RelationDef {
            Relation::Posts.def()
        }
    }
});

entity!(artist, "Artist", {
    #[sea_orm(primary_key, column_name = "ArtistId")]
    pub id: i32,
    #[sea_orm(column_name = "Name")]
    pub name: Option<String>,
}, {
    #[sea_orm(has_many = "super::album::Entity")]
    Album,
}, {
    impl Related<super::album::Entity> for Entity {
        fn to() -> RelationDef {
            Relation::Album.def()
        }
    }
});

entity!(album, "Album", {
    #[sea_orm(primary_key, column_name = "AlbumId")]
    pub id: i32,
    #[sea_orm(column_name = "Title")]
    pub title: String,
    #[sea_orm(column_name = "ArtistId")]
    pub artist_id: i32,
}, {
    #[sea_orm(belongs_to = "super::artist::Entity", from = "Column::ArtistId", to = "super::artist::Column::Id")]
    Artist,
    #[sea_orm(has_many = "super::track::Entity")]
    Track,
}, {
    impl Related<super::track::Entity> for Entity {
        fn to() -> RelationDef {
            Relation::Track.def()
        }
    }
    impl Related<super::artist::Entity> for Entity {
        fn to() -> RelationDef {
            Relation::Artist.def()
        }
    }
});

entity!(genre, "Genre", {
    #[sea_orm(primary_key, column_name = "GenreId")]
    pub id: i32,
    #[sea_orm(column_name = "Name")]
    pub name: Option<String>,
}, {
    #[sea_orm(has_many = "super::track::Entity")]
    Track,
}, {
    impl Related<super::track::Entity> for Entity {
        fn to() -> RelationDef {
            Relation::Track.def()
        }
    }
});

entity!(track, "Track", {
    #[sea_orm(primary_key, column_name = "TrackId")]
    pub id: i32,
    #[sea_orm(column_name = "Name")]
    pub name: String,
    #[sea_orm(column_name = "AlbumId")]
    pub album_id: Option<i32>,
    #[sea_orm(column_name = "MediaTypeId")]
    pub media_type_id: i32,
    #[sea_orm(column_name = "GenreId")]
    pub genre_id: Option<i32>,
    #[sea_orm(column_name = "Composer")]
    pub composer: Option<String>,
    #[sea_orm(column_name = "Milliseconds")]
    pub milliseconds: i32,
    #[sea_orm(column_name = "Bytes")]
    pub bytes: Option<i32>,
    #[sea_orm(column_name = "UnitPrice")]
    pub unit_price: Decimal,
}, {
    #[sea_orm(belongs_to = "super::album::Entity", from = "Column::AlbumId", to = "super::album::Column::Id")]
    Album,
    #[sea_orm(belongs_to = "super::genre::Entity", from = "Column::GenreId", to = "super::genre::Column::Id")]
    Genre,
}, {
    impl Related<super::album::Entity> for Entity {
        fn to() -> RelationDef {
            Relation::Album.def()
        }
    }
    impl Related<super::genre::Entity> for Entity {
        fn to() -> RelationDef {
            Relation::Genre.def()
        }
    }
});

/// SeaORM on one database: a pool of one connection (SQLite in memory is one database per
/// connection), driven by a current-thread runtime.
pub struct SeaOrm {
    rt: tokio::runtime::Runtime,
    db: DatabaseConnection,
}

impl SeaOrm {
    /// Connects to `url`, then runs `setup` (pragmas) on its one connection.
    pub fn connect(url: &str, setup: &str) -> SeaOrm {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let mut opts = ConnectOptions::new(url.to_string());
        opts.max_connections(1)
            .min_connections(1)
            .idle_timeout(std::time::Duration::from_secs(24 * 3600))
            .max_lifetime(std::time::Duration::from_secs(24 * 3600))
            .sqlx_logging(false);
        let db = rt.block_on(Database::connect(opts)).unwrap();
        if !setup.is_empty() {
            rt.block_on(db.execute_unprepared(setup)).unwrap();
        }
        SeaOrm { rt, db }
    }
}

/// Moves `parents`' children, grouped per parent, into one list, and the group sizes.
fn flatten<T>(groups: Vec<Vec<T>>) -> (Vec<T>, Vec<usize>) {
    let sizes = groups.iter().map(Vec::len).collect();
    (groups.into_iter().flatten().collect(), sizes)
}

/// The inverse of [`flatten`].
fn regroup<T>(flat: Vec<T>, sizes: &[usize]) -> Vec<Vec<T>> {
    let mut it = flat.into_iter();
    sizes
        .iter()
        .map(|&n| it.by_ref().take(n).collect())
        .collect()
}

async fn nested(db: &DatabaseConnection) -> Nested {
    let us = users::Entity::find().all(db).await.unwrap();
    let ps = us.load_many(posts::Entity, db).await.unwrap();
    let (ps, sizes) = flatten(ps);
    let cs = ps.load_many(comments::Entity, db).await.unwrap();
    let ps: Vec<(Post, Vec<Comment>)> = ps
        .into_iter()
        .zip(cs)
        .map(|(p, cs)| {
            let cs = cs
                .into_iter()
                .map(|c| Comment {
                    id: c.id,
                    post_id: c.post_id,
                    text: c.text,
                })
                .collect();
            let p = Post {
                id: p.id,
                user_id: p.user_id,
                title: p.title,
                body: p.body,
            };
            (p, cs)
        })
        .collect();
    us.into_iter()
        .map(|u| User {
            id: u.id,
            name: u.name,
            hair_color: u.hair_color,
        })
        .zip(regroup(ps, &sizes))
        .collect()
}

async fn chinook(db: &DatabaseConnection) -> Tree {
    let artists = artist::Entity::find().all(db).await.unwrap();
    let albums = artists.load_many(album::Entity, db).await.unwrap();
    let (albums, album_sizes) = flatten(albums);
    let tracks = albums.load_many(track::Entity, db).await.unwrap();
    let (tracks, track_sizes) = flatten(tracks);
    let genres = tracks.load_one(genre::Entity, db).await.unwrap();
    // SeaORM hands each track its own copy of the genre: shared here, as the other trees do.
    let mut shared: HashMap<i32, Rc<Genre>> = HashMap::new();
    let tracks: Vec<(Track, Option<Rc<Genre>>)> = tracks
        .into_iter()
        .zip(genres)
        .map(|(t, g)| {
            let g = g.map(|g| {
                shared
                    .entry(g.id)
                    .or_insert_with(|| {
                        Rc::new(Genre {
                            id: g.id,
                            name: g.name,
                        })
                    })
                    .clone()
            });
            let t = Track {
                id: t.id,
                name: t.name,
                album_id: t.album_id,
                media_type_id: t.media_type_id,
                genre_id: t.genre_id,
                composer: t.composer,
                milliseconds: t.milliseconds,
                bytes: t.bytes,
                unit_price: Price(t.unit_price),
            };
            (t, g)
        })
        .collect();
    let albums: Vec<_> = albums
        .into_iter()
        .map(|a| Album {
            id: a.id,
            title: a.title,
            artist_id: a.artist_id,
        })
        .zip(regroup(tracks, &track_sizes))
        .collect();
    artists
        .into_iter()
        .map(|a| Artist {
            id: a.id,
            name: a.name,
        })
        .zip(regroup(albums, &album_sizes))
        .collect()
}

const NOT_HERE: &str = "SeaORM runs the eager-loading rows only";

impl Workloads for SeaOrm {
    fn batch(&mut self, sql: &str) {
        self.rt.block_on(self.db.execute_unprepared(sql)).unwrap();
    }
    fn settle(&mut self) {}
    fn load_users(&mut self) -> Vec<User> {
        unimplemented!("{NOT_HERE}")
    }
    fn join(&mut self) -> Vec<(User, Option<Post>)> {
        unimplemented!("{NOT_HERE}")
    }
    fn nested(&mut self) -> Nested {
        unimplemented!("{NOT_HERE}")
    }
    fn insert_users(&mut self, _: &[(String, Option<String>)]) {
        unimplemented!("{NOT_HERE}")
    }
    fn bulk_insert(&mut self, _: &[(i32, String, String)]) {
        unimplemented!("{NOT_HERE}")
    }
    fn single_inserts(&mut self, _: &[(i32, String, String)]) {
        unimplemented!("{NOT_HERE}")
    }
    fn fetch_all(&mut self) -> Vec<Customer> {
        unimplemented!("{NOT_HERE}")
    }
    fn lookup(&mut self, _: i32) -> Customer {
        unimplemented!("{NOT_HERE}")
    }
    fn eager_nested(&mut self) -> Nested {
        self.rt.block_on(nested(&self.db))
    }
    fn eager_chinook(&mut self) -> Tree {
        self.rt.block_on(chinook(&self.db))
    }
}
