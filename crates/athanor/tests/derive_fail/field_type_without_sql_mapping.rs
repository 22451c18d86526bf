use athanor::prelude::*;

#[derive(Debug, Clone, PartialEq)]
struct Point {
    x: i64,
    y: i64,
}

#[derive(Debug, Clone, PartialEq, Model)]
struct Place {
    #[athanor(primary_key)]
    id: i64,
    name: String,
    location: Point,
}

fn main() {}
