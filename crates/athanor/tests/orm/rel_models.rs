//! Chinook with relationships, as the conformance corpus's models declare them
//! (`shared/conformance/orm.json`): Artist → Album → Track → Genre, Playlist ↔ Track through
//! PlaylistTrack, Employee → Employee (ReportsTo), Customer → Employee (SupportRepId).
#![allow(dead_code)]

use athanor::orm::{Collection, Related};
use athanor::prelude::*;
use rust_decimal::Decimal;

#[derive(Debug, Clone, PartialEq, Default, Model)]
#[athanor(table = "Artist")]
pub(crate) struct Artist {
    #[athanor(primary_key, column = "ArtistId")]
    pub(crate) id: i64,
    #[athanor(column = "Name", sql_type = Type::Unicode(Some(120)))]
    pub(crate) name: Option<String>,
    #[athanor(
        back_populates = "artist",
        order_by = "AlbumId",
        cascade = "all, delete-orphan"
    )]
    pub(crate) albums: Collection<Album>,
}

#[derive(Debug, Clone, PartialEq, Default, Model)]
#[athanor(table = "Album")]
pub(crate) struct Album {
    #[athanor(primary_key, column = "AlbumId")]
    pub(crate) id: i64,
    #[athanor(column = "Title", sql_type = Type::Unicode(Some(160)))]
    pub(crate) title: String,
    #[athanor(column = "ArtistId", foreign_key = "Artist.ArtistId")]
    pub(crate) artist_id: i64,
    #[athanor(back_populates = "albums")]
    pub(crate) artist: Related<Artist>,
    #[athanor(back_populates = "album", order_by = "TrackId")]
    pub(crate) tracks: Collection<Track>,
}

#[derive(Debug, Clone, PartialEq, Default, Model)]
#[athanor(table = "Genre")]
pub(crate) struct Genre {
    #[athanor(primary_key, column = "GenreId")]
    pub(crate) id: i64,
    #[athanor(column = "Name", sql_type = Type::Unicode(Some(120)))]
    pub(crate) name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Model)]
#[athanor(table = "MediaType")]
pub(crate) struct MediaType {
    #[athanor(primary_key, column = "MediaTypeId")]
    pub(crate) id: i64,
    #[athanor(column = "Name", sql_type = Type::Unicode(Some(120)))]
    pub(crate) name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Model)]
#[athanor(table = "Track")]
pub(crate) struct Track {
    #[athanor(primary_key, column = "TrackId")]
    pub(crate) id: i64,
    #[athanor(column = "Name", sql_type = Type::Unicode(Some(200)))]
    pub(crate) name: String,
    #[athanor(column = "AlbumId", foreign_key = "Album.AlbumId")]
    pub(crate) album_id: Option<i64>,
    #[athanor(column = "MediaTypeId", foreign_key = "MediaType.MediaTypeId")]
    pub(crate) media_type_id: i64,
    #[athanor(column = "GenreId", foreign_key = "Genre.GenreId")]
    pub(crate) genre_id: Option<i64>,
    #[athanor(column = "Composer", sql_type = Type::Unicode(Some(220)))]
    pub(crate) composer: Option<String>,
    #[athanor(column = "Milliseconds")]
    pub(crate) milliseconds: i64,
    #[athanor(column = "Bytes")]
    pub(crate) bytes: Option<i64>,
    #[athanor(column = "UnitPrice", sql_type = Type::Numeric(Some(10), Some(2)))]
    pub(crate) unit_price: Decimal,
    #[athanor(back_populates = "tracks")]
    pub(crate) album: Related<Album>,
    pub(crate) genre: Related<Genre>,
    #[athanor(secondary = PlaylistTrack::table(), back_populates = "tracks", order_by = "PlaylistId")]
    pub(crate) playlists: Collection<Playlist>,
}

#[derive(Debug, Clone, PartialEq, Default, Model)]
#[athanor(table = "Playlist")]
pub(crate) struct Playlist {
    #[athanor(primary_key, column = "PlaylistId")]
    pub(crate) id: i64,
    #[athanor(column = "Name", sql_type = Type::Unicode(Some(120)))]
    pub(crate) name: Option<String>,
    #[athanor(secondary = PlaylistTrack::table(), back_populates = "playlists", order_by = "TrackId")]
    pub(crate) tracks: Collection<Track>,
}

#[derive(Debug, Clone, PartialEq, Default, Model)]
#[athanor(table = "PlaylistTrack")]
pub(crate) struct PlaylistTrack {
    #[athanor(
        primary_key,
        column = "PlaylistId",
        foreign_key = "Playlist.PlaylistId"
    )]
    pub(crate) playlist_id: i64,
    #[athanor(primary_key, column = "TrackId", foreign_key = "Track.TrackId")]
    pub(crate) track_id: i64,
}

#[derive(Debug, Clone, PartialEq, Default, Model)]
#[athanor(table = "Employee")]
pub(crate) struct Employee {
    #[athanor(primary_key, column = "EmployeeId")]
    pub(crate) id: i64,
    #[athanor(column = "LastName", sql_type = Type::Unicode(Some(20)))]
    pub(crate) last_name: String,
    #[athanor(column = "FirstName", sql_type = Type::Unicode(Some(20)))]
    pub(crate) first_name: String,
    #[athanor(column = "ReportsTo", foreign_key = "Employee.EmployeeId")]
    pub(crate) reports_to: Option<i64>,
    #[athanor(remote_side = "EmployeeId", back_populates = "reports")]
    pub(crate) manager: Related<Employee>,
    #[athanor(back_populates = "manager", order_by = "EmployeeId")]
    pub(crate) reports: Collection<Employee>,
    #[athanor(back_populates = "support_rep", order_by = "CustomerId")]
    pub(crate) customers: Collection<Customer>,
}

#[derive(Debug, Clone, PartialEq, Default, Model)]
#[athanor(table = "Customer")]
pub(crate) struct Customer {
    #[athanor(primary_key, column = "CustomerId")]
    pub(crate) id: i64,
    #[athanor(column = "FirstName", sql_type = Type::Unicode(Some(40)))]
    pub(crate) first_name: String,
    #[athanor(column = "LastName", sql_type = Type::Unicode(Some(20)))]
    pub(crate) last_name: String,
    #[athanor(column = "Email", sql_type = Type::Unicode(Some(60)))]
    pub(crate) email: String,
    #[athanor(column = "SupportRepId", foreign_key = "Employee.EmployeeId")]
    pub(crate) support_rep_id: Option<i64>,
    #[athanor(fk = "SupportRepId", back_populates = "customers")]
    pub(crate) support_rep: Related<Employee>,
}
