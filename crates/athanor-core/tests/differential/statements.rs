//! The random statements of the differential test, shared by `athanor-core`'s compile-level
//! test (`tests/differential.rs`) and `athanor`'s execution-level one
//! (`crates/athanor/tests/differential.rs`, which includes this file by path).
//!
//! A statement is drawn from two seeded generators: the *shape* generator picks the structure
//! (statement kind, sources, joins, conditions, columns), the *value* generator picks what a
//! statement cache must not confuse for structure: values, IN list lengths, which of several
//! same-named tables with different columns, defaults and keys is used, and whether a second IN
//! list or subquery of the same shape is a new object or a clone sharing the first one's `Arc`.
//! Cases reuse a small set of shape seeds with fresh value seeds, so one warm cache meets the
//! same shape many times over with everything else changing.
#![allow(dead_code, unreachable_pub)]

#[path = "wider.rs"]
mod wider;

use athanor_core::prelude::*;
use athanor_core::sql::{
    Alias, CompoundSelect, Cte, Delete, Executable, Insert, Select, TextClause, Update,
};

/// splitmix64: small, seedable, and the same everywhere.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }
    /// The next 64 random bits.
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    /// True `percent` times in a hundred.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// What a column holds, for values and comparisons of the right type.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    /// Integers.
    Int,
    /// Short strings.
    Text,
    /// Floats.
    Float,
    /// Decimals (`Numeric`): compared with integers and floats.
    Num,
}

fn kind_of(ty: &Type) -> Kind {
    match ty {
        Type::String(_) | Type::Text => Kind::Text,
        Type::Float => Kind::Float,
        Type::Numeric(..) => Kind::Num,
        _ => Kind::Int,
    }
}

/// Two database tables, `dt_a` and `dt_b`, each with several same-named definitions.
pub struct Schema {
    /// Holds the database definitions (`a[0]`, `b[0]`), for `create_all`.
    pub metadata: MetaData,
    /// `dt_a (id, a, b, c)`: the database's definition first, then others of the same name.
    pub a: Vec<Table>,
    /// `dt_b (id, a_id, n, s)`: likewise.
    pub b: Vec<Table>,
    /// `dt_c (id, a_id, b_id, p, q, r, s)`: likewise; the definitions give `p`, `q`, `r`, `s`
    /// different types (integer, float, numeric, string) and `a_id`, `b_id` different foreign
    /// keys, so operators and join inference render differently per definition.
    pub c: Vec<Table>,
}

fn table(md: &MetaData, name: &str, cols: Vec<Column>) -> Table {
    cols.into_iter()
        .fold(Table::build(name, md), |t, c| t.column(c))
        .finish()
        .expect("a generated table")
}

/// The tables: the first definition of each is the database's; the others keep its name and
/// differ in columns, types, defaults, keys and foreign keys.
pub fn schema() -> Schema {
    let metadata = MetaData::new();
    let id = || {
        Column::new("id", Type::Integer)
            .primary_key()
            .autoincrement(false)
    };
    let text = || Type::String(Some(20));
    let a0 = table(
        &metadata,
        "dt_a",
        vec![
            id(),
            Column::new("a", Type::Integer),
            Column::new("b", text()),
            Column::new("c", Type::Float),
        ],
    );
    let b0 = table(
        &metadata,
        "dt_b",
        vec![
            id(),
            Column::new("a_id", Type::Integer),
            Column::new("n", Type::Integer),
            Column::new("s", text()),
        ],
    );
    let other = |name: &str, cols: Vec<Column>| table(&MetaData::new(), name, cols);
    let a = vec![
        a0,
        other(
            "dt_a",
            vec![
                id(),
                Column::new("a", Type::Integer),
                Column::new("b", text()),
            ],
        ),
        other(
            "dt_a",
            vec![
                id(),
                Column::new("a", Type::Integer).default(7),
                Column::new("b", text()).default("dflt"),
                Column::new("c", Type::Float),
            ],
        ),
        other(
            "dt_a",
            vec![
                Column::new("id", Type::Integer),
                Column::new("a", Type::Integer),
                Column::new("b", text()).default("x"),
                Column::new("c", Type::Float).default(1.5),
            ],
        ),
        other(
            "dt_a",
            vec![
                id(),
                Column::new("a", Type::BigInteger),
                Column::new("b", Type::Text),
                Column::new("c", Type::Float),
            ],
        ),
    ];
    let b = vec![
        b0,
        other(
            "dt_b",
            vec![
                id(),
                Column::new("a_id", Type::Integer).foreign_key(ForeignKey::new("dt_a.id")),
                Column::new("n", Type::Integer).default(0),
                Column::new("s", text()),
            ],
        ),
        other(
            "dt_b",
            vec![
                id(),
                Column::new("a_id", Type::Integer),
                Column::new("n", Type::Integer).default(5),
            ],
        ),
    ];
    let c = wider::c_tables(&metadata);
    Schema { metadata, a, b, c }
}

/// The rows the execution-level test loads into the database tables.
pub fn rows(schema: &Schema) -> Vec<Insert> {
    let texts = ["x", "y", "z", "w"];
    let a = (1..=8i64).map(|i| {
        row! {
            "id" => i,
            "a" => if i % 5 == 0 { Value::Null } else { Value::Int(i % 4) },
            "b" => if i % 6 == 0 { Value::Null } else { Value::from(texts[i as usize % 4]) },
            "c" => if i % 7 == 0 { Value::Null } else { Value::Float(i as f64 / 2.0) },
        }
    });
    let b = (1..=10i64).map(|i| {
        row! {
            "id" => i,
            "a_id" => if i % 9 == 0 { Value::Null } else { Value::Int(1 + i % 8) },
            "n" => i % 5,
            "s" => texts[(i as usize * 3) % 4],
        }
    });
    vec![
        schema.a[0].insert().values_many(a),
        schema.b[0].insert().values_many(b),
        wider::c_rows(&schema.c[0]),
    ]
}

/// Something a SELECT reads from, with its columns.
#[derive(Clone)]
pub struct Source {
    item: Item,
    /// Its columns and what they hold.
    pub cols: Vec<(String, Kind)>,
}

#[derive(Clone)]
enum Item {
    Table(Table),
    Alias(Alias),
    Cte(Cte),
}

impl Source {
    fn table(t: &Table) -> Source {
        let cols = t
            .columns()
            .iter()
            .map(|c| (c.name().to_string(), kind_of(&c.ty)))
            .collect();
        Source {
            item: Item::Table(t.clone()),
            cols,
        }
    }
    /// A column by name.
    pub fn c(&self, name: &str) -> Expr {
        match &self.item {
            Item::Table(t) => t.c(name),
            Item::Alias(a) => a.c(name),
            Item::Cte(c) => c.c(name),
        }
    }
    fn as_from(&self) -> FromItem {
        match &self.item {
            Item::Table(t) => FromItem::from(t),
            Item::Alias(a) => FromItem::from(a),
            Item::Cte(c) => FromItem::from(c),
        }
    }
    fn first_of(&self, kind: Kind) -> Option<&str> {
        self.cols
            .iter()
            .find(|(_, k)| *k == kind)
            .map(|(n, _)| n.as_str())
    }
}

/// A generated statement.
pub enum Stmt {
    /// A SELECT.
    Select(Select),
    /// A UNION.
    Compound(CompoundSelect),
    /// An INSERT.
    Insert(Insert),
    /// An UPDATE.
    Update(Update),
    /// A DELETE.
    Delete(Delete),
    /// A `text()` statement.
    Text(TextClause),
}

impl Stmt {
    /// The statement, to compile or execute.
    pub fn exec(&self) -> &dyn Executable {
        match self {
            Stmt::Select(s) => s,
            Stmt::Compound(s) => s,
            Stmt::Insert(s) => s,
            Stmt::Update(s) => s,
            Stmt::Delete(s) => s,
            Stmt::Text(s) => s,
        }
    }
    /// True for INSERT, UPDATE and DELETE.
    pub fn changes_rows(&self) -> bool {
        matches!(self, Stmt::Insert(_) | Stmt::Update(_) | Stmt::Delete(_))
    }
    /// A changed clone of the statement (after it was executed, so it remembers its cache
    /// key): the change must forget what the clone copied. `None` where nothing is changed.
    pub fn changed_clone(&self) -> Option<Stmt> {
        match self {
            Stmt::Select(s) => Some(Stmt::Select(s.clone().distinct())),
            Stmt::Compound(s) => Some(Stmt::Compound(s.clone().limit(2))),
            Stmt::Update(u) => Some(Stmt::Update(u.clone().filter(literal(1).eq(1)))),
            Stmt::Delete(d) => Some(Stmt::Delete(d.clone().filter(literal(1).eq(1)))),
            Stmt::Insert(_) | Stmt::Text(_) => None,
        }
    }
}

/// How many shapes the cases cycle through: each comes back many times with new values.
pub const SHAPES: u64 = 150;

/// The (shape, value) seeds of case `i` of a run seeded with `seed`.
pub fn case_seeds(seed: u64, i: u64) -> (u64, u64) {
    let mut shape = Rng::new(seed ^ (i % SHAPES).wrapping_mul(0x2545_f491_4f6c_dd1d));
    let mut value = Rng::new(!seed ^ i.wrapping_mul(0x9e37_79b9_7f4a_7c15));
    (shape.next(), value.next())
}

/// The statement of one case: its structure from `shape_seed`, the rest from `value_seed`.
pub fn statement(schema: &Schema, shape_seed: u64, value_seed: u64) -> Stmt {
    case(schema, shape_seed, value_seed).0
}

/// The statement of one case and the values of its `bindparam`s (one shape, executed with
/// values of different kinds), as [`statement`].
pub fn case(schema: &Schema, shape_seed: u64, value_seed: u64) -> (Stmt, Values) {
    let mut g = Gen {
        schema,
        shape: Rng::new(shape_seed),
        vals: Rng::new(value_seed),
        pool: Vec::new(),
        names: 0,
        params: Values::new(),
    };
    let stmt = match g.shape.below(16) {
        0..=3 => Stmt::Select(g.select()),
        4 => Stmt::Compound(g.compound()),
        5 | 6 => Stmt::Insert(g.insert()),
        7 | 8 => Stmt::Update(g.update()),
        9 => Stmt::Delete(g.delete()),
        10 => Stmt::Select(g.aggregate()),
        11 => Stmt::Select(g.arithmetic()),
        12 => Stmt::Select(g.windowed()),
        13 => Stmt::Select(g.joined()),
        14 => Stmt::Text(g.text_stmt()),
        _ => g.wider_change(),
    };
    (stmt, g.params)
}

struct Gen<'s> {
    schema: &'s Schema,
    shape: Rng,
    vals: Rng,
    /// Shareable nodes made so far, by template: a later one of the same template is a clone
    /// (sharing the first one's `Arc`s) or a new object, as the value generator says.
    pool: Vec<(u64, Expr)>,
    names: usize,
    /// The values of the statement's `bindparam`s.
    params: Values,
}

impl Gen<'_> {
    fn value(&mut self, kind: Kind) -> Value {
        match kind {
            Kind::Int => Value::Int(self.vals.below(7) as i64),
            Kind::Text => Value::from(["x", "y", "z", "w", "it's"][self.vals.below(5)]),
            Kind::Float => Value::Float([0.5, 1.5, 2.5, 3.0][self.vals.below(4)]),
            Kind::Num => self.number(),
        }
    }

    /// A same-named table definition: which one is the value generator's choice.
    fn table(&mut self, b: bool) -> Table {
        let defs = if b { &self.schema.b } else { &self.schema.a };
        defs[self.vals.below(defs.len())].clone()
    }

    /// `dt_a` or `dt_b` as the shape says, in one of its definitions as the values say.
    fn rand_table(&mut self) -> Table {
        let b = self.shape.chance(50);
        self.table(b)
    }

    fn name(&mut self, base: &str) -> String {
        self.names += 1;
        format!("{base}{}", self.names)
    }

    fn pick_col(&mut self, scope: &[Source]) -> (Expr, Kind) {
        let s = &scope[self.shape.below(scope.len())];
        let (n, k) = &s.cols[self.shape.below(s.cols.len())];
        (s.c(n), *k)
    }

    fn int_col(&mut self, scope: &[Source]) -> Expr {
        let s = &scope[self.shape.below(scope.len())];
        s.c(s.first_of(Kind::Int).unwrap_or("id"))
    }

    /// A shareable node of template `token`: a clone of an earlier one of the template, or a
    /// new one built by `make` (whose structure comes from the template alone).
    fn shared(&mut self, token: u64, make: impl FnOnce(&mut Self) -> Expr) -> Expr {
        if self.vals.chance(50)
            && let Some((_, e)) = self.pool.iter().find(|(t, _)| *t == token)
        {
            return e.clone();
        }
        // The node's structure comes from its template, whatever the statement drew before.
        let saved = std::mem::replace(&mut self.shape, Rng::new(token));
        let e = make(self);
        self.shape = saved;
        self.pool.push((token, e.clone()));
        e
    }

    fn token(&mut self, what: u64) -> u64 {
        what << 8 | self.shape.below(3) as u64
    }

    fn cond(&mut self, scope: &[Source], depth: u32) -> Expr {
        let choice = self.shape.below(if depth >= 2 { 5 } else { 12 });
        match choice {
            10 | 11 => self.wider_cond(scope, depth),
            0 | 1 => {
                let (c, k) = self.pick_col(scope);
                let v = self.value(k);
                match self.shape.below(4) {
                    0 => c.eq(v),
                    1 => c.gt(v),
                    2 => c.le(v),
                    _ => c.ne(v),
                }
            }
            2 => {
                let (c, k) = self.pick_col(scope);
                match (self.shape.below(3), k) {
                    (0, _) => c.is_null(),
                    (1, Kind::Text) => c.like(["x%", "%y", "_"][self.vals.below(3)]),
                    (1, _) => {
                        let (lo, hi) = (self.value(k), self.value(k));
                        c.between(lo, hi)
                    }
                    _ => c.is_not_null(),
                }
            }
            3 | 4 => {
                let what = self.shape.below(5) as u64;
                let token = self.token(what);
                self.shareable(what, token, scope, depth)
            }
            5 => {
                // Two nodes of one template: the second is a clone of the first (one shared
                // object) or a new equal-shaped one, as the value generator says.
                let what = self.shape.below(5) as u64;
                let token = self.token(what);
                let l = self.shareable(what, token, scope, depth);
                let r = self.shareable(what, token, scope, depth);
                if self.shape.chance(50) { l | r } else { l & r }
            }
            6 | 7 => self.cond(scope, depth + 1) & self.cond(scope, depth + 1),
            _ => {
                let e = self.cond(scope, depth + 1) | self.cond(scope, depth + 1);
                if self.shape.chance(30) { !e } else { e }
            }
        }
    }

    /// A node that may be shared (see [`Gen::shared`]): an IN or NOT IN list, a comparison
    /// with a scalar subquery, IN (SELECT ...), EXISTS.
    fn shareable(&mut self, what: u64, token: u64, scope: &[Source], depth: u32) -> Expr {
        match what {
            0 | 1 => self.shared(token, |g| {
                let (c, k) = g.pick_col(scope);
                let n = g.vals.below(4);
                let values: Vec<Value> = (0..n).map(|_| g.value(k)).collect();
                if what == 1 {
                    c.not_in(values)
                } else {
                    c.in_(values)
                }
            }),
            2 => {
                let c = self.int_col(scope);
                let sub = self.shared(token, |g| g.subquery_max(depth));
                if self.shape.chance(50) {
                    c.eq(sub)
                } else {
                    c.lt(sub)
                }
            }
            3 => self.shared(token, |g| {
                let c = g.int_col(scope);
                let inner = Source::table(&g.rand_table());
                let mut s = select(inner.c("id"));
                if g.shape.chance(70) {
                    s = s.filter(g.cond(std::slice::from_ref(&inner), depth + 1));
                }
                c.in_select(s)
            }),
            _ => self.shared(token, |g| {
                let inner = Source::table(&g.rand_table());
                let mut both = vec![inner.clone()];
                if g.shape.chance(50) {
                    both.extend(scope.iter().cloned());
                }
                select(inner.c("id"))
                    .filter(g.cond(&both, depth + 1))
                    .exists()
            }),
        }
    }

    /// `(SELECT max(col) FROM t WHERE ...)`: one row, whatever the data.
    fn subquery_max(&mut self, depth: u32) -> Expr {
        let inner = Source::table(&self.rand_table());
        let col = inner.first_of(Kind::Int).unwrap_or("id").to_string();
        let mut s = select(func::max(inner.c(&col)));
        if self.shape.chance(70) {
            s = s.filter(self.cond(std::slice::from_ref(&inner), depth + 1));
        }
        s.scalar_subquery()
    }

    /// A FROM source: a table, an alias of one, a subquery or a CTE.
    fn source(&mut self) -> Source {
        let b = self.shape.chance(50);
        let t = Source::table(&self.table(b));
        match self.shape.below(6) {
            0..=2 => t,
            3 => {
                let Item::Table(table) = &t.item else {
                    unreachable!()
                };
                let name = self.name("al");
                Source {
                    item: Item::Alias(table.alias(name)),
                    cols: t.cols.clone(),
                }
            }
            4 => {
                let (s, cols) = self.inner_select(&t);
                let alias = if self.shape.chance(50) {
                    let name = self.name("sq");
                    s.subquery(name)
                } else {
                    s.subquery_anon()
                };
                Source {
                    item: Item::Alias(alias),
                    cols,
                }
            }
            _ => {
                let (s, cols) = self.inner_select(&t);
                let name = self.name("cte");
                Source {
                    item: Item::Cte(s.cte(name)),
                    cols,
                }
            }
        }
    }

    /// A SELECT of distinct columns of `t` (`id` first), for subqueries and CTEs.
    fn inner_select(&mut self, t: &Source) -> (Select, Vec<(String, Kind)>) {
        let mut cols = vec![t.cols[0].clone()];
        for c in &t.cols[1..] {
            if self.shape.chance(60) {
                cols.push(c.clone());
            }
        }
        let exprs: Vec<Expr> = cols.iter().map(|(n, _)| t.c(n)).collect();
        let mut s = select(exprs);
        if self.shape.chance(70) {
            s = s.filter(self.cond(std::slice::from_ref(t), 1));
        }
        (s, cols)
    }

    fn select(&mut self) -> Select {
        let left = self.source();
        let mut scope = vec![left.clone()];
        let mut from = None;
        if self.shape.chance(40) {
            let right = if self.shape.chance(20) && !matches!(left.item, Item::Table(_)) {
                // The same alias, subquery or CTE object again, or an equal new one.
                if self.vals.chance(50) {
                    left.clone()
                } else {
                    self.source()
                }
            } else {
                self.source()
            };
            let join = match self.shape.below(4) {
                0 => left.as_from().join(right.as_from()),
                k => {
                    let l = left.c(left.first_of(Kind::Int).unwrap_or("id"));
                    let r = right.c(right.cols[self.shape.below(right.cols.len())].0.as_str());
                    let on = l.eq(r);
                    if k == 1 {
                        left.as_from().outerjoin_on(right.as_from(), on)
                    } else {
                        left.as_from().join_on(right.as_from(), on)
                    }
                }
            };
            from = Some(join);
            scope.push(right);
        }
        let n = 1 + self.shape.below(3);
        let mut cols: Vec<Expr> = Vec::new();
        for i in 0..n {
            let e = match self.shape.below(8) {
                0 => {
                    let k = [Kind::Int, Kind::Text][self.shape.below(2)];
                    literal(self.value(k)).label(format!("lit{i}"))
                }
                1 => {
                    let c = self.int_col(&scope);
                    (c + self.value(Kind::Int)).label(format!("sum{i}"))
                }
                _ => self.pick_col(&scope).0,
            };
            cols.push(e);
        }
        let ordered = cols.clone();
        let labels: Vec<String> = (0..n)
            .map(|i| format!("lit{i}"))
            .chain((0..n).map(|i| format!("sum{i}")))
            .collect();
        let mut s = select(cols);
        if let Some(f) = from {
            s = s.select_from(f);
        }
        if self.shape.chance(75) {
            s = s.filter(self.cond(&scope, 0));
        }
        if self.shape.chance(25) {
            // Ordered by every column, so a LIMIT picks the same rows whatever the plan.
            for c in ordered {
                s = s.order_by(c);
            }
            s = s.limit(self.vals.below(5) as u64);
            if self.shape.chance(50) {
                s = s.offset(self.vals.below(3) as u64);
            }
        } else if self.shape.chance(20) {
            s = self.order_by_name(s, &labels);
        }
        s
    }

    fn compound(&mut self) -> CompoundSelect {
        let member = |g: &mut Self| {
            let t = Source::table(&g.rand_table());
            let mut s = select(t.c("id"));
            if g.shape.chance(80) {
                s = s.filter(g.cond(std::slice::from_ref(&t), 0));
            }
            s
        };
        let (first, second) = (member(self), member(self));
        // INTERSECT ALL and EXCEPT ALL are refused on SQLite: through the cache alike.
        let mut c = match self.shape.below(8) {
            0..=2 => first.union(second),
            3 => first.union_all(second),
            4 => first.intersect(second),
            5 => first.intersect_all(second),
            6 => first.except(second),
            _ => first.except_all(second),
        };
        if self.shape.chance(40) {
            c = c.union(member(self));
        }
        c
    }

    fn insert(&mut self) -> Insert {
        let b = self.shape.chance(50);
        let t = self.table(b);
        if !b && self.shape.chance(20) {
            // INSERT INTO dt_a (id, a) SELECT dt_b.id + 500, dt_b.n FROM dt_b WHERE ...
            let src = Source::table(&self.table(true));
            let mut s = select((
                src.c("id") + 500,
                src.c(src.first_of(Kind::Int).unwrap_or("id")),
            ));
            if self.shape.chance(70) {
                s = s.filter(self.cond(std::slice::from_ref(&src), 1));
            }
            return t.insert().from_select(["id", "a"], s);
        }
        let cols: Vec<(String, Kind)> = t
            .columns()
            .iter()
            .map(|c| (c.name().to_string(), kind_of(&c.ty)))
            .collect();
        let chosen: Vec<(String, Kind)> = std::iter::once(cols[0].clone())
            .chain(cols[1..].iter().filter(|_| self.shape.chance(50)).cloned())
            .collect();
        let nrows = if self.shape.chance(30) {
            2 + self.shape.below(2)
        } else {
            1
        };
        let base = 100 + 10 * self.vals.below(50) as i64;
        let rows: Vec<Values> = (0..nrows)
            .map(|r| {
                let mut v = Values::new();
                for (name, k) in &chosen {
                    let value = if name == "id" {
                        Value::Int(base + r as i64)
                    } else if self.vals.chance(10) {
                        Value::Null
                    } else {
                        self.value(*k)
                    };
                    v = v.set(name, value);
                }
                v
            })
            .collect();
        if nrows == 1 {
            t.insert()
                .values(rows.into_iter().next().unwrap_or_default())
        } else {
            t.insert().values_many(rows)
        }
    }

    fn update(&mut self) -> Update {
        let t = Source::table(&self.rand_table());
        let (name, k) = t.cols[1 + self.shape.below(t.cols.len() - 1)].clone();
        let Item::Table(table) = &t.item else {
            unreachable!()
        };
        let value: Expr = if k == Kind::Int && self.shape.chance(40) {
            t.c(&name) + self.value(Kind::Int)
        } else {
            self.value(k).into()
        };
        let mut u = table.update().set(&name, value);
        if self.shape.chance(85) {
            u = u.filter(self.cond(std::slice::from_ref(&t), 0));
        }
        u
    }

    fn delete(&mut self) -> Delete {
        let t = Source::table(&self.rand_table());
        let Item::Table(table) = &t.item else {
            unreachable!()
        };
        let mut d = table.delete();
        if self.shape.chance(85) {
            d = d.filter(self.cond(std::slice::from_ref(&t), 0));
        }
        d
    }
}
