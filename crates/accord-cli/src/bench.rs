use accord_core::ApiError;
#[derive(clap::Subcommand)]
pub enum Which {
    Customers,
}
pub async fn run(_w: Which, _db: Option<String>) -> Result<serde_json::Value, ApiError> {
    Ok(serde_json::Value::Null)
}
