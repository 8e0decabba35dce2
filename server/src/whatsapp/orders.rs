//! The order an agent records on a conversation: an amount in a currency, read as people type it
//! (`1234.50`, or `1234,50` with a decimal comma) into the currency's minor units exactly.

use crate::storage::Stores;
use crate::storage::analytics::OrderRecord;
use app::accounts::model::Caller;
use app::inbox::model::OrderView;
use app::inbox::port::InboxError;
use time::OffsetDateTime;

/// `currency` as an ISO 4217 code (three letters, any case).
fn currency_code(currency: &str) -> Result<String, InboxError> {
    let code = currency.trim().to_ascii_uppercase();
    if code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase()) {
        Ok(code)
    } else {
        Err(InboxError::Invalid("error-order-currency"))
    }
}

/// `amount` in minor units of `currency` (see [`crate::ads::parse::typed_amount`]).
pub fn parse_amount(amount: &str, currency: &str) -> Result<i64, InboxError> {
    crate::ads::parse::typed_amount(amount, currency).ok_or(InboxError::Invalid("error-order-amount"))
}

/// Records (or, with an empty amount, clears) the order on the caller's conversation.
pub async fn record(
    stores: &Stores,
    caller: &Caller,
    conversation_id: &str,
    amount: &str,
    currency: &str,
) -> Result<Option<OrderView>, InboxError> {
    let internal = InboxError::internal;
    if stores.inbox.conversation(&caller.org_id, conversation_id).await.map_err(internal)?.is_none() {
        return Err(InboxError::NotFound);
    }
    if amount.trim().is_empty() {
        stores.analytics.clear_order(&caller.org_id, conversation_id).await.map_err(internal)?;
        return Ok(None);
    }
    let currency = currency_code(currency)?;
    let value = parse_amount(amount, &currency)?;
    let order = OrderRecord {
        org_id: caller.org_id.clone(),
        conversation_id: conversation_id.to_owned(),
        value,
        currency: currency.clone(),
        recorded_by: caller.user_id.as_str().to_owned(),
        recorded_at: OffsetDateTime::now_utc(),
    };
    stores.analytics.set_order(&order).await.map_err(internal)?;
    Ok(Some(OrderView { value, currency }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_read_in_the_currencys_minor_units_or_refused() {
        assert_eq!(parse_amount("1234.50", "MXN").unwrap(), 123_450);
        assert_eq!(parse_amount(" 1234,5 ", "EUR").unwrap(), 123_450);
        assert_eq!(parse_amount("5000", "JPY").unwrap(), 5_000);
        assert_eq!(parse_amount("1.125", "KWD").unwrap(), 1_125);
        for bad in ["12.345", "-5", "1,234.50", "abc", "1e5", "100000000000"] {
            assert!(parse_amount(bad, "USD").is_err(), "{bad}");
        }
        assert!(parse_amount("12.5", "JPY").is_err(), "yen has no decimals");
        assert_eq!(currency_code(" mxn ").unwrap(), "MXN");
        assert!(currency_code("pesos").is_err() && currency_code("M1N").is_err());
    }
}
