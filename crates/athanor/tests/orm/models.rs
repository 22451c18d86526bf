//! Chinook's tables as models: the corpus's Artist, Album, Genre, Track, Playlist, and the
//! rest of the schema (MediaType, Employee with ReportsTo, Customer, Invoice, InvoiceLine,
//! PlaylistTrack).
#![allow(dead_code)]

use athanor::prelude::*;
use chrono::NaiveDateTime;
use rust_decimal::Decimal;

#[derive(Debug, Clone, PartialEq, Default, Model)]
#[athanor(table = "Artist")]
pub(crate) struct Artist {
    #[athanor(primary_key, column = "ArtistId")]
    pub(crate) id: i64,
    #[athanor(column = "Name", sql_type = Type::Unicode(Some(120)))]
    pub(crate) name: Option<String>,
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
}

#[derive(Debug, Clone, PartialEq, Default, Model)]
#[athanor(table = "Playlist")]
pub(crate) struct Playlist {
    #[athanor(primary_key, column = "PlaylistId")]
    pub(crate) id: i64,
    #[athanor(column = "Name", sql_type = Type::Unicode(Some(120)))]
    pub(crate) name: Option<String>,
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
    #[athanor(column = "Title", sql_type = Type::Unicode(Some(30)))]
    pub(crate) title: Option<String>,
    #[athanor(column = "ReportsTo", foreign_key = "Employee.EmployeeId")]
    pub(crate) reports_to: Option<i64>,
    #[athanor(column = "BirthDate")]
    pub(crate) birth_date: Option<NaiveDateTime>,
    #[athanor(column = "HireDate")]
    pub(crate) hire_date: Option<NaiveDateTime>,
    #[athanor(column = "Address", sql_type = Type::Unicode(Some(70)))]
    pub(crate) address: Option<String>,
    #[athanor(column = "City", sql_type = Type::Unicode(Some(40)))]
    pub(crate) city: Option<String>,
    #[athanor(column = "State", sql_type = Type::Unicode(Some(40)))]
    pub(crate) state: Option<String>,
    #[athanor(column = "Country", sql_type = Type::Unicode(Some(40)))]
    pub(crate) country: Option<String>,
    #[athanor(column = "PostalCode", sql_type = Type::Unicode(Some(10)))]
    pub(crate) postal_code: Option<String>,
    #[athanor(column = "Phone", sql_type = Type::Unicode(Some(24)))]
    pub(crate) phone: Option<String>,
    #[athanor(column = "Fax", sql_type = Type::Unicode(Some(24)))]
    pub(crate) fax: Option<String>,
    #[athanor(column = "Email", sql_type = Type::Unicode(Some(60)))]
    pub(crate) email: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Model)]
#[athanor(table = "Invoice")]
pub(crate) struct Invoice {
    #[athanor(primary_key, column = "InvoiceId")]
    pub(crate) id: i64,
    #[athanor(column = "CustomerId", foreign_key = "Customer.CustomerId")]
    pub(crate) customer_id: i64,
    #[athanor(column = "InvoiceDate")]
    pub(crate) invoice_date: NaiveDateTime,
    #[athanor(column = "BillingAddress", sql_type = Type::Unicode(Some(70)))]
    pub(crate) billing_address: Option<String>,
    #[athanor(column = "BillingCity", sql_type = Type::Unicode(Some(40)))]
    pub(crate) billing_city: Option<String>,
    #[athanor(column = "BillingState", sql_type = Type::Unicode(Some(40)))]
    pub(crate) billing_state: Option<String>,
    #[athanor(column = "BillingCountry", sql_type = Type::Unicode(Some(40)))]
    pub(crate) billing_country: Option<String>,
    #[athanor(column = "BillingPostalCode", sql_type = Type::Unicode(Some(10)))]
    pub(crate) billing_postal_code: Option<String>,
    #[athanor(column = "Total", sql_type = Type::Numeric(Some(10), Some(2)))]
    pub(crate) total: Decimal,
}

#[derive(Debug, Clone, PartialEq, Default, Model)]
#[athanor(table = "InvoiceLine")]
pub(crate) struct InvoiceLine {
    #[athanor(primary_key, column = "InvoiceLineId")]
    pub(crate) id: i64,
    #[athanor(column = "InvoiceId", foreign_key = "Invoice.InvoiceId")]
    pub(crate) invoice_id: i64,
    #[athanor(column = "TrackId", foreign_key = "Track.TrackId")]
    pub(crate) track_id: i64,
    #[athanor(column = "UnitPrice", sql_type = Type::Numeric(Some(10), Some(2)))]
    pub(crate) unit_price: Decimal,
    #[athanor(column = "Quantity")]
    pub(crate) quantity: i64,
}
