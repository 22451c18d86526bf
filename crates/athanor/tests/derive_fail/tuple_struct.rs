use athanor::prelude::*;

#[derive(Debug, Clone, PartialEq, Model)]
struct Note(#[athanor(primary_key)] i64, String);

fn main() {}
