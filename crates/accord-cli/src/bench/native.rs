//! The physical limits: the same statements as the core's queries through the engines' own
//! drivers (rusqlite, tokio-postgres), prepared once, every row decoded into typed values.

use accord_core::ApiError;
use accord_core::data::Engine;
use uuid::Uuid;

use super::{
    CARD_CONTACTS_SQL, CARD_ORG_SQL, CARD_RELATIONS_SQL, DEEP_SQL, LIST_SQL, ListRow, internal, search_sql, sql,
};

pub enum Native {
    Sqlite(rusqlite::Connection),
    Postgres(tokio_postgres::Client),
}

fn list_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<ListRow> {
    Ok((
        row.get(0)?,
        row.get(1)?,
        row.get(2)?,
        row.get(3)?,
        row.get(4)?,
        row.get(5)?,
        row.get(6)?,
        row.get(7)?,
        row.get(8)?,
    ))
}

fn pg_list_row(row: &tokio_postgres::Row) -> ListRow {
    (row.get(0), row.get(1), row.get(2), row.get(3), row.get(4), row.get(5), row.get(6), row.get(7), row.get(8))
}

/// Every column of a `SELECT *` row, as the driver's own value type.
fn all_columns(row: &rusqlite::Row<'_>) -> rusqlite::Result<usize> {
    let mut n = 0;
    while let Ok(value) = row.get::<_, rusqlite::types::Value>(n) {
        std::hint::black_box(value);
        n += 1;
    }
    Ok(n)
}

/// A bound value both drivers take.
pub trait ToBoth {
    fn as_sqlite(&self) -> &dyn rusqlite::ToSql;
    fn as_postgres(&self) -> &(dyn tokio_postgres::types::ToSql + Sync);
}

impl<T: rusqlite::ToSql + tokio_postgres::types::ToSql + Sync> ToBoth for T {
    fn as_sqlite(&self) -> &dyn rusqlite::ToSql {
        self
    }
    fn as_postgres(&self) -> &(dyn tokio_postgres::types::ToSql + Sync) {
        self
    }
}

type Binds<'a> = &'a [&'a (dyn ToBoth + Sync)];

impl Native {
    pub async fn connect(engine: Engine, url: &str) -> Result<Self, ApiError> {
        match engine {
            Engine::Sqlite => {
                let path = url.strip_prefix("sqlite:").unwrap_or(url);
                Ok(Self::Sqlite(rusqlite::Connection::open(path).map_err(internal)?))
            }
            Engine::Postgres => {
                let (client, connection) =
                    tokio_postgres::connect(url, tokio_postgres::NoTls).await.map_err(internal)?;
                tokio::spawn(connection);
                Ok(Self::Postgres(client))
            }
        }
    }

    fn engine(&self) -> Engine {
        match self {
            Self::Sqlite(_) => Engine::Sqlite,
            Self::Postgres(_) => Engine::Postgres,
        }
    }

    async fn list_rows(&self, text: &str, params: Binds<'_>) -> Result<usize, ApiError> {
        let text = sql(self.engine(), text);
        match self {
            Self::Sqlite(conn) => {
                let mut statement = conn.prepare_cached(&text).map_err(internal)?;
                let binds: Vec<&dyn rusqlite::ToSql> = params.iter().map(|p| p.as_sqlite()).collect();
                let rows = statement.query_map(binds.as_slice(), list_row).map_err(internal)?;
                Ok(rows.map(|r| r.map(std::hint::black_box)).collect::<Result<Vec<_>, _>>().map_err(internal)?.len())
            }
            Self::Postgres(client) => {
                let statement = client.prepare(&text).await.map_err(internal)?;
                let binds: Vec<&(dyn tokio_postgres::types::ToSql + Sync)> =
                    params.iter().map(|p| p.as_postgres()).collect();
                let rows = client.query(&statement, &binds).await.map_err(internal)?;
                Ok(rows.iter().map(pg_list_row).map(std::hint::black_box).count())
            }
        }
    }

    /// Rows of any shape, every column read.
    async fn any_rows(&self, text: &str, params: Binds<'_>) -> Result<usize, ApiError> {
        let text = sql(self.engine(), text);
        match self {
            Self::Sqlite(conn) => {
                let mut statement = conn.prepare_cached(&text).map_err(internal)?;
                let binds: Vec<&dyn rusqlite::ToSql> = params.iter().map(|p| p.as_sqlite()).collect();
                let rows = statement.query_map(binds.as_slice(), all_columns).map_err(internal)?;
                Ok(rows.collect::<Result<Vec<_>, _>>().map_err(internal)?.len())
            }
            Self::Postgres(client) => {
                let statement = client.prepare(&text).await.map_err(internal)?;
                let binds: Vec<&(dyn tokio_postgres::types::ToSql + Sync)> =
                    params.iter().map(|p| p.as_postgres()).collect();
                let rows = client.query(&statement, &binds).await.map_err(internal)?;
                for row in &rows {
                    for (i, column) in row.columns().iter().enumerate() {
                        decode_pg(row, i, column.type_());
                    }
                }
                Ok(rows.len())
            }
        }
    }

    pub async fn list(&self) -> Result<usize, ApiError> {
        self.list_rows(LIST_SQL, &[]).await
    }

    pub async fn deep(&self, key: &str, id: Uuid) -> Result<usize, ApiError> {
        let key = key.to_owned();
        self.list_rows(DEEP_SQL, &[&key, &id]).await
    }

    pub async fn search(&self, expression: &str) -> Result<usize, ApiError> {
        let expression = expression.to_owned();
        self.any_rows(search_sql(self.engine()), &[&expression]).await
    }

    pub async fn card(&self, id: Uuid) -> Result<usize, ApiError> {
        Ok(self.any_rows(CARD_ORG_SQL, &[&id]).await?
            + self.any_rows(CARD_CONTACTS_SQL, &[&id]).await?
            + self.any_rows(CARD_RELATIONS_SQL, &[&id, &id]).await?)
    }
}

/// Decodes one column of an arbitrary row by its declared type.
fn decode_pg(row: &tokio_postgres::Row, i: usize, ty: &tokio_postgres::types::Type) {
    use tokio_postgres::types::Type;
    match *ty {
        Type::UUID => drop(std::hint::black_box(row.get::<_, Option<Uuid>>(i))),
        Type::INT8 => drop(std::hint::black_box(row.get::<_, Option<i64>>(i))),
        Type::INT4 => drop(std::hint::black_box(row.get::<_, Option<i32>>(i))),
        Type::BOOL => drop(std::hint::black_box(row.get::<_, Option<bool>>(i))),
        Type::TIMESTAMPTZ => drop(std::hint::black_box(row.get::<_, Option<chrono::DateTime<chrono::Utc>>>(i))),
        _ => drop(std::hint::black_box(row.get::<_, Option<String>>(i))),
    }
}
