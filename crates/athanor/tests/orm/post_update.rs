//! `post_update` between two tables that refer to each other (SQLAlchemy's Widget / Entry
//! example): the flush orders the tables without the post_update key, inserts with it NULL,
//! writes it by an UPDATE once both rows exist, and NULLs it before deleting.

use athanor::orm::{Collection, Related};
use athanor::prelude::*;
use athanor::{Engine, Result};

use super::support::{on_each, shapes, statements};

#[derive(Debug, Clone, PartialEq, Default, Model)]
#[athanor(table = "widget")]
struct Widget {
    #[athanor(primary_key)]
    widget_id: i64,
    name: String,
    #[athanor(foreign_key = "entry.entry_id")]
    favorite_entry_id: Option<i64>,
    #[athanor(fk = "widget_id", back_populates = "widget", order_by = "entry_id")]
    entries: Collection<Entry>,
    #[athanor(fk = "favorite_entry_id", post_update)]
    favorite_entry: Related<Entry>,
}

#[derive(Debug, Clone, PartialEq, Default, Model)]
#[athanor(table = "entry")]
struct Entry {
    #[athanor(primary_key)]
    entry_id: i64,
    name: String,
    #[athanor(foreign_key = "widget.widget_id")]
    widget_id: Option<i64>,
    #[athanor(fk = "widget_id", back_populates = "entries")]
    widget: Related<Widget>,
}

/// The two tables, each with a foreign key to the other (the second added by ALTER where
/// the database needs the table to exist first).
fn create(engine: &Engine) -> Result<()> {
    let mut conn = engine.connect()?;
    let (key, text_ty) = match engine.dialect().name() {
        "postgresql" => ("SERIAL PRIMARY KEY", "VARCHAR(30)"),
        "mysql" => ("INTEGER AUTO_INCREMENT PRIMARY KEY", "VARCHAR(30)"),
        _ => ("INTEGER PRIMARY KEY", "VARCHAR(30)"),
    };
    let sqlite = engine.dialect().name() == "sqlite";
    let fav = if sqlite {
        " REFERENCES entry(entry_id)"
    } else {
        ""
    };
    conn.execute(&text(&format!(
        "CREATE TABLE widget (widget_id {key}, name {text_ty} NOT NULL, favorite_entry_id INTEGER{fav})"
    )))?;
    conn.execute(&text(&format!(
        "CREATE TABLE entry (entry_id {key}, name {text_ty} NOT NULL, widget_id INTEGER REFERENCES widget(widget_id))"
    )))?;
    if !sqlite {
        conn.execute(&text(
            "ALTER TABLE widget ADD CONSTRAINT fk_favorite FOREIGN KEY (favorite_entry_id) REFERENCES entry(entry_id)",
        ))?;
    }
    Ok(())
}

#[test]
fn rows_pointing_at_each_other() {
    on_each(|engine| {
        create(engine)?;
        let mut s = Session::new(engine);
        let w = s.add(Widget {
            name: "w".into(),
            ..Default::default()
        })?;
        let e1 = s.append_new(
            w,
            Widget::entries,
            Entry {
                name: "e1".into(),
                ..Default::default()
            },
        )?;
        s.append_new(
            w,
            Widget::entries,
            Entry {
                name: "e2".into(),
                ..Default::default()
            },
        )?;
        s.set(w, Widget::favorite_entry, Some(e1))?;
        let (r, stmts) = statements(|| s.flush());
        r?;
        // Widget first (its favorite NULL), then the entries, then the favorite by UPDATE.
        let sh = shapes(&stmts);
        assert_eq!(
            sh.first().map(String::as_str),
            Some("INSERT widget"),
            "{stmts:#?}"
        );
        assert_eq!(
            sh.last().map(String::as_str),
            Some("UPDATE widget"),
            "{stmts:#?}"
        );
        let e1_id = s.read(e1)?.entry_id;
        assert_eq!(s.read(w)?.favorite_entry_id, Some(e1_id));
        s.commit()?;
        let mut conn = engine.connect()?;
        let fav: Option<i64> = conn
            .execute(&select(Widget::FAVORITE_ENTRY_ID))?
            .scalar::<Option<i64>>()?;
        assert_eq!(fav, Some(e1_id));
        drop(conn);
        // Deleting both sides: the favorite let go first, then entries, then the widget.
        let w = s.query::<Widget>().one()?;
        let entries = s.load(w, Widget::entries)?;
        for e in entries {
            s.delete(e)?;
        }
        s.delete(w)?;
        let (r, stmts) = statements(|| s.commit());
        r?;
        assert_eq!(
            shapes(&stmts).first().map(String::as_str),
            Some("UPDATE widget"),
            "{stmts:#?}"
        );
        assert_eq!(s.query::<Entry>().count()?, 0);
        Ok(())
    });
}
