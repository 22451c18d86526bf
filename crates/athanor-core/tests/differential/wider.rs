//! The differential generator's second half: the constructs whose rendering reads more than
//! the tree's shape — operand types (`/`, `floordiv`, string `+`), tuple IN item widths,
//! names resolved against labels and columns (`order_by("x")`, `group_by("x")`,
//! `desc("x")`), join inference (`Select::join`, chains over tables with several foreign
//! keys), multi-table UPDATE/DELETE, RETURNING, upserts, aggregates with DISTINCT,
//! GROUP BY/HAVING, window functions, `exists()`, `bindparam`s executed with values of
//! different kinds, and `text()` with integers, floats and decimals.
//!
//! Each construct is drawn so that the *value* generator changes what its rendering reads
//! (which same-named table definition, which kind of value, which tuple width) while the
//! *shape* generator keeps the structure: a cache key that leaves one of those inputs out
//! hands a warm statement the wrong SQL.

use super::*;

/// `dt_c`: the database's definition first (no foreign keys, so changes to `dt_a`/`dt_b`
/// never trip a constraint), then same-named ones with other column types and keys.
pub(super) fn c_tables(metadata: &MetaData) -> Vec<Table> {
    let def = |md: &MetaData, types: [Type; 4], fk_a: Option<&str>, fk_b: Option<&str>| {
        let fk = |name: &str, target: Option<&str>| match target {
            Some(t) => Column::new(name, Type::Integer).foreign_key(ForeignKey::new(t)),
            None => Column::new(name, Type::Integer),
        };
        let [p, q, r, s] = types;
        table(
            md,
            "dt_c",
            vec![
                Column::new("id", Type::Integer)
                    .primary_key()
                    .autoincrement(false),
                fk("a_id", fk_a),
                fk("b_id", fk_b),
                Column::new("p", p),
                Column::new("q", q),
                Column::new("r", r),
                Column::new("s", s),
            ],
        )
    };
    let num = || Type::Numeric(Some(10), Some(2));
    let text = || Type::String(Some(20));
    let other = MetaData::new;
    vec![
        def(
            metadata,
            [Type::Integer, Type::Float, num(), text()],
            None,
            None,
        ),
        // One foreign key to each of dt_a and dt_b: joins infer their ON clauses.
        def(
            &other(),
            [Type::Integer, Type::Float, num(), text()],
            Some("dt_a.id"),
            Some("dt_b.id"),
        ),
        // Both to dt_a: a join with dt_a is ambiguous; with dt_b there is nothing to infer.
        def(
            &other(),
            [Type::Float, num(), Type::Integer, Type::Text],
            Some("dt_a.id"),
            Some("dt_a.id"),
        ),
        // Numerics of other scales (none: 10 digits): results are processed at that scale.
        def(
            &other(),
            [
                Type::Numeric(Some(12), Some(4)),
                Type::Integer,
                Type::Numeric(None, None),
                text(),
            ],
            None,
            Some("dt_b.id"),
        ),
        // `s` an integer: `s + s` adds instead of concatenating.
        def(
            &other(),
            [Type::Integer, Type::Integer, Type::Integer, Type::Integer],
            Some("dt_a.id"),
            None,
        ),
    ]
}

/// `dt_c`'s rows: `q` and `r` never zero, so divisions by them don't fail.
pub(super) fn c_rows(t: &Table) -> Insert {
    let texts = ["x", "y", "z", "w"];
    t.insert().values_many((1..=6i64).map(|i| {
        row! {
            "id" => i,
            "a_id" => if i == 6 { Value::Null } else { Value::Int(1 + i % 8) },
            "b_id" => 1 + (i * 3) % 10,
            "p" => if i == 4 { Value::Null } else { Value::Int(i * 3) },
            "q" => Value::Float(i as f64 / 2.0),
            "r" => Value::Int(i % 3 + 1),
            "s" => texts[i as usize % 4],
        }
    }))
}

impl Gen<'_> {
    /// A non-zero number of a kind the value generator picks: integer, float or (with
    /// `rust_decimal`) decimal.
    pub(super) fn number(&mut self) -> Value {
        match self.vals.below(3) {
            0 => Value::Int(1 + self.vals.below(4) as i64),
            #[cfg(feature = "rust_decimal")]
            1 => Value::Decimal(rust_decimal::Decimal::new(
                25 + 50 * self.vals.below(3) as i64,
                2,
            )),
            _ => Value::Float([0.5, 2.0, 4.0][self.vals.below(3)]),
        }
    }

    /// `bindparam("bp")`, whose value (a number of any kind) the case executes with.
    fn bind_number(&mut self) -> Expr {
        if self.params.get("bp").is_none() {
            let v = self.number();
            self.params = std::mem::take(&mut self.params).set("bp", v);
        }
        bindparam("bp")
    }

    fn c_table(&mut self) -> Table {
        self.schema.c[self.vals.below(self.schema.c.len())].clone()
    }

    /// A condition of the wider kinds: tuple IN (items of the tuple's width or, rarely,
    /// another), a `bindparam` comparison, `exists()`.
    pub(super) fn wider_cond(&mut self, scope: &[Source], depth: u32) -> Expr {
        match self.shape.below(3) {
            0 => {
                let s = &scope[self.shape.below(scope.len())];
                let second = s.first_of(Kind::Int).unwrap_or("id").to_string();
                let width = 2 + self.shape.below(2);
                let mut items = vec![s.c("id"), s.c(&second)];
                if width == 3 {
                    items.push(s.c("id"));
                }
                let tuple = tuple_(items);
                // The items' width is the value generator's: mostly the tuple's.
                let item_width = if self.vals.chance(10) {
                    5 - width
                } else {
                    width
                };
                let n = self.vals.below(4);
                let int = |g: &mut Self| 1 + g.vals.below(8) as i64;
                let negated = self.shape.chance(25);
                if item_width == 2 {
                    let v: Vec<(i64, i64)> = (0..n).map(|_| (int(self), int(self))).collect();
                    if negated {
                        tuple.not_in(v)
                    } else {
                        tuple.in_(v)
                    }
                } else {
                    let v: Vec<(i64, i64, i64)> =
                        (0..n).map(|_| (int(self), int(self), int(self))).collect();
                    if negated {
                        tuple.not_in(v)
                    } else {
                        tuple.in_(v)
                    }
                }
            }
            1 => {
                let c = self.int_col(scope);
                let bp = self.bind_number();
                match self.shape.below(3) {
                    0 => c.lt(bp),
                    1 => (c / bp).gt(1),
                    _ => c.floordiv(bp).le(2),
                }
            }
            _ => {
                let inner = Source::table(&self.rand_table());
                let outer = self.int_col(scope);
                let mut e = exists().filter(inner.c("id").eq(outer));
                if self.shape.chance(50) {
                    e = e.filter(self.cond(std::slice::from_ref(&inner), depth + 1));
                }
                e.into()
            }
        }
    }

    /// ORDER BY a name: a label of the SELECT list or a column name (which, in some same-named
    /// definitions or sources, isn't there), sometimes with `desc(name)`.
    pub(super) fn order_by_name(&mut self, s: Select, labels: &[String]) -> Select {
        let name = if self.shape.chance(50) {
            labels[self.shape.below(labels.len())].clone()
        } else {
            ["id", "a", "b", "c", "n", "s", "p"][self.shape.below(7)].to_string()
        };
        if self.shape.chance(50) {
            s.order_by(desc(name.as_str()))
        } else {
            s.order_by(name.as_str())
        }
    }

    /// `/`, `floordiv` and `+` over `dt_c`'s columns, whose types change with the
    /// definition, and over bare values and `bindparam`s of every number kind.
    pub(super) fn arithmetic(&mut self) -> Select {
        let t = Source::table(&self.c_table());
        let mut cols = vec![t.c("id")];
        for i in 0..1 + self.shape.below(3) {
            let l = t.c(["p", "q", "r"][self.shape.below(3)]);
            let r: Expr = match self.shape.below(4) {
                0 => t.c(["p", "q", "r"][self.shape.below(3)]),
                1 | 2 => self.number().into(),
                _ => self.bind_number(),
            };
            let e = match self.shape.below(5) {
                0 | 1 => l / r,
                2 => l.floordiv(r),
                3 => l + r,
                // String `+` concatenates by column type (adds where `s` is an integer).
                _ => t.c("s") + t.c("s"),
            };
            cols.push(e.label(format!("x{i}")));
        }
        let mut s = select(cols);
        if self.shape.chance(40) {
            s = s.filter(self.cond(std::slice::from_ref(&t), 1));
        }
        s
    }

    /// GROUP BY (an expression or a name) with an aggregate, DISTINCT inside it, HAVING and
    /// ORDER BY a label.
    pub(super) fn aggregate(&mut self) -> Select {
        let src = if self.shape.chance(30) {
            Source::table(&self.c_table())
        } else {
            self.source()
        };
        let scope = [src.clone()];
        let (g, _) = self.pick_col(&scope);
        let arg = self.pick_col(&scope).0;
        let agg = match self.shape.below(5) {
            0 => func::count(distinct(arg)),
            1 => func::count(arg).distinct(),
            2 => func::count_star(),
            // A sum of a numeric or float column is processed as its column is.
            3 => func::sum(
                src.c(src
                    .first_of(Kind::Num)
                    .or(src.first_of(Kind::Float))
                    .unwrap_or("id")),
            ),
            _ => func::max(self.int_col(&scope)),
        };
        // A label that is also a column name in some definitions (`c` of dt_a, `n` of dt_b)
        // and not in others: GROUP BY that name groups by the expression or the label.
        let label = ["grp", "c", "n"][self.shape.below(3)];
        let mut s = select((g.clone().label(label), agg.clone().label("agg")));
        s = match self.shape.below(3) {
            0 => s.group_by(g),
            1 => s.group_by(label),
            _ => s.group_by(src.cols[self.shape.below(src.cols.len())].0.as_str()),
        };
        if self.shape.chance(50) {
            s = s.filter(self.cond(&scope, 1));
        }
        if self.shape.chance(50) {
            s = s.having(func::count_star().gt(self.vals.below(3) as i64));
        }
        if self.shape.chance(50) {
            s = s.order_by(desc("agg"));
        }
        s
    }

    /// Window functions: `row_number()` and a windowed sum, partitioned and ordered.
    pub(super) fn windowed(&mut self) -> Select {
        let t = Source::table(&self.rand_table());
        let scope = [t.clone()];
        let part = self.pick_col(&scope).0;
        let w = Window::new().partition_by(part.clone()).order_by(t.c("id"));
        let mut cols = vec![t.c("id"), func::row_number().over(w).label("rn")];
        if self.shape.chance(60) {
            let n = self.int_col(&scope);
            cols.push(
                func::sum(n)
                    .over(Window::new().partition_by(part))
                    .label("total"),
            );
        }
        let mut s = select(cols);
        if self.shape.chance(50) {
            s = s.filter(self.cond(&scope, 1));
        }
        s
    }

    /// `Select::join`/`outerjoin` (left side and ON found from foreign keys), explicit
    /// `join_on`/`outerjoin_on`, and chains through `dt_c`, whose definitions have one, two
    /// or no foreign keys to each table.
    pub(super) fn joined(&mut self) -> Select {
        let a = self.table(false);
        let b = self.table(true);
        let c = self.c_table();
        let s = select((a.c("id"), a.c("a").label("aa")));
        let mut s = match self.shape.below(6) {
            0 => s.join(&b),
            1 => s.outerjoin(&c),
            2 => s.join(&c).join(&b),
            3 => s.join_on(&b, b.c("a_id").eq(a.c("id"))),
            4 => s.outerjoin_on(&c, c.c("a_id").eq(a.c("id"))).join(&b),
            _ => s.join(&c).outerjoin_on(&b, b.c("id").eq(c.c("b_id"))),
        };
        if self.shape.chance(50) {
            s = s.filter(self.cond(&[Source::table(&a)], 1));
        }
        s
    }

    /// `text()` with `:v` and `:w` bound to numbers of any kind (PostgreSQL casts floats).
    pub(super) fn text_stmt(&mut self) -> TextClause {
        let sql = [
            "SELECT id, c * :v AS x FROM dt_a WHERE c > :w OR a < :v",
            "SELECT id FROM dt_c WHERE r * :v > q + :w",
            "SELECT count(*) AS n FROM dt_b WHERE n < :v",
        ][self.shape.below(3)];
        let mut t = text(sql).bind("v", self.number());
        if sql.contains(":w") {
            t = t.bind("w", self.number());
        }
        t
    }

    /// An INSERT, UPDATE or DELETE with RETURNING, an upsert, or a multi-table UPDATE/DELETE.
    pub(super) fn wider_change(&mut self) -> Stmt {
        match self.shape.below(4) {
            0 => self.upsert(),
            1 | 2 => {
                let t = Source::table(&self.rand_table());
                let Item::Table(table) = &t.item else {
                    unreachable!()
                };
                let other = Source::table(&self.c_table());
                let join = t
                    .c("id")
                    .eq(other.c(["id", "a_id", "b_id"][self.shape.below(3)]));
                let cond = join & self.cond(std::slice::from_ref(&other), 1);
                let returning = self.shape.chance(30);
                if self.shape.chance(50) {
                    let (name, k) = t.cols[1 + self.shape.below(t.cols.len() - 1)].clone();
                    let value: Expr = if k == Kind::Int && self.shape.chance(50) {
                        other.c("r") + self.value(Kind::Int)
                    } else if k != Kind::Text && self.shape.chance(30) {
                        // One shape, executed with a value of any number kind.
                        self.bind_number()
                    } else {
                        self.value(k).into()
                    };
                    let mut u = table.update().set(&name, value).filter(cond);
                    if returning {
                        u = u.returning(t.c("id"));
                    }
                    Stmt::Update(u)
                } else {
                    let mut d = table.delete().filter(cond);
                    if returning {
                        d = d.returning(t.c("id"));
                    }
                    Stmt::Delete(d)
                }
            }
            _ => {
                let t = Source::table(&self.rand_table());
                let Item::Table(table) = &t.item else {
                    unreachable!()
                };
                let mut d = table.delete();
                if self.shape.chance(80) {
                    d = d.filter(self.cond(std::slice::from_ref(&t), 0));
                }
                Stmt::Delete(d.returning((t.c("id"), t.c(&t.cols[1].0))))
            }
        }
    }

    /// INSERT ... ON CONFLICT (ON DUPLICATE KEY UPDATE on MySQL) over ids that exist or
    /// don't, sometimes with RETURNING.
    fn upsert(&mut self) -> Stmt {
        let b = self.shape.chance(50);
        let t = self.table(b);
        let cols: Vec<(String, Kind)> = t
            .columns()
            .iter()
            .map(|c| (c.name().to_string(), kind_of(&c.ty)))
            .collect();
        let (name, k) = cols[1 + self.shape.below(cols.len() - 1)].clone();
        let id = 1 + self.vals.below(12) as i64;
        let v = self.value(k);
        let mut ins = t.insert().values(Values::new().set("id", id).set(&name, v));
        ins = match self.shape.below(3) {
            0 => ins.on_conflict_do_nothing(["id"]),
            1 => ins.on_conflict_do_update(["id"], Values::new().set(&name, excluded(&name))),
            _ => ins.on_duplicate_key_update(Values::new().set(&name, excluded(&name))),
        };
        if self.shape.chance(30) {
            ins = ins.returning(t.c("id"));
        }
        Stmt::Insert(ins)
    }
}
