//! Shared column names for [`Values`](super::Values): a statement built in a loop names the
//! same columns row after row (`row! { "name" => ... }`), almost always with string literals.
//! Each thread keeps a small table of the names it used last, so the same literal gives the
//! same `Arc<str>` instead of a new allocation per row.

use std::cell::RefCell;
use std::sync::Arc;

const SLOTS: usize = 64;

/// A name and the address of the text it was made from.
type Entry = Option<(usize, Arc<str>)>;

thread_local! {
    static RECENT: RefCell<[Entry; SLOTS]> =
        const { RefCell::new([const { None }; SLOTS]) };
}

/// The shared `Arc<str>` for `name`: the one this thread made last time for the same text at
/// the same address (a literal, or a `String` still alive), or a new one.
pub(crate) fn shared(name: &str) -> Arc<str> {
    let at = name.as_ptr() as usize;
    let slot = (at ^ (at >> 9) ^ name.len()) % SLOTS;
    RECENT
        .try_with(|recent| {
            let mut recent = recent.borrow_mut();
            // The text is compared too: another string may live at a freed string's address.
            if let Some((a, n)) = &recent[slot]
                && *a == at
                && **n == *name
            {
                return n.clone();
            }
            let n: Arc<str> = Arc::from(name);
            recent[slot] = Some((at, n.clone()));
            n
        })
        .unwrap_or_else(|_| Arc::from(name))
}

#[cfg(test)]
mod tests {
    use super::shared;
    use std::sync::Arc;

    #[test]
    fn the_same_literal_shares_one_name_and_other_text_never_does() {
        let a = shared("hair_color");
        let b = shared("hair_color");
        assert!(Arc::ptr_eq(&a, &b));
        // A string at an address another name used gets its own text.
        let mut s = String::from("abc");
        let first = shared(&s);
        s.clear();
        s.push_str("xyz");
        let second = shared(&s);
        assert_eq!((&*first, &*second), ("abc", "xyz"));
    }
}
