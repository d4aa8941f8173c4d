//! The value of an SQL source: the first column of the first row of a query,
//! from SQLite (`sqlite:path`) or PostgreSQL (a `postgres://` URL, TLS as libpq's
//! `sslmode=prefer`/`require`).

use super::number::parse_number;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

pub(super) fn sql_value(root: &Path, connection: &str, query: &str, timeout: Duration) -> Result<f64, String> {
    let text = if let Some(path) = connection.strip_prefix("sqlite:") {
        let file = root.join(path);
        if !file.is_file() {
            return Err(format!("cannot open `{path}`: no such file"));
        }
        let db = rusqlite::Connection::open_with_flags(&file, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .map_err(|e| format!("cannot open `{path}`: {e}"))?;
        let _ = db.busy_timeout(timeout);
        // A query that runs past the timeout is interrupted, not waited for;
        // the watchdog ends as soon as `done` is dropped.
        let (done, watch) = std::sync::mpsc::channel::<()>();
        let interrupt = db.get_interrupt_handle();
        std::thread::spawn(move || {
            if watch.recv_timeout(timeout) == Err(std::sync::mpsc::RecvTimeoutError::Timeout) {
                interrupt.interrupt();
            }
        });
        let _done = done;
        let mut stmt = db.prepare(query).map_err(|e| format!("the query failed: {e}"))?;
        let mut rows = stmt.query([]).map_err(|e| format!("the query failed: {e}"))?;
        let Some(row) = rows.next().map_err(|e| format!("the query failed: {e}"))? else {
            return Err("the query returned no rows".into());
        };
        use rusqlite::types::ValueRef;
        match row.get_ref(0).map_err(|e| format!("the query returned no columns: {e}"))? {
            ValueRef::Integer(i) => return Ok(i as f64),
            ValueRef::Real(f) => return Ok(f),
            ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned(),
            ValueRef::Null => return Err("the query returned NULL, not a number".into()),
            ValueRef::Blob(_) => return Err("the query returned a blob, not a number".into()),
        }
    } else {
        let mut config: postgres::Config =
            connection.parse().map_err(|e| format!("`connection` is not a PostgreSQL URL: {e}"))?;
        config.connect_timeout(timeout);
        // The server stops a query that runs longer (unless the URL sets options).
        if config.get_options().is_none() {
            config.options(&format!("-c statement_timeout={}", timeout.as_millis()));
        }
        // `sslmode` of the URL decides: `prefer` (the default) uses TLS when the
        // server offers it, `require` insists, `disable` never tries.
        let mut client = config.connect(tls()?).map_err(|e| format!("cannot connect to PostgreSQL: {}", chain(&e)))?;
        // The simple protocol returns every value as text: numeric, bigint and
        // double precision all arrive the same way.
        let messages = client.simple_query(query).map_err(|e| match e.as_db_error() {
            Some(db) => format!("the query failed: {}", db.message()),
            None => format!("the query failed: {e}"),
        })?;
        let first = messages.iter().find_map(|m| match m {
            postgres::SimpleQueryMessage::Row(r) => Some(r),
            _ => None,
        });
        let Some(row) = first else { return Err("the query returned no rows".into()) };
        match row.try_get(0) {
            Ok(Some(v)) => v.to_string(),
            Ok(None) => return Err("the query returned NULL, not a number".into()),
            Err(_) => return Err("the query returned no columns".into()),
        }
    };
    parse_number(&text, "en").map_err(|e| format!("the query's first value: {e}"))
}

/// An error with its causes, `a: b: c`, each said once.
fn chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        let text = c.to_string();
        if !out.ends_with(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        cause = c.source();
    }
    out
}

/// TLS for PostgreSQL, as libpq does it for `sslmode=prefer` (the default)
/// and `require`: the connection is encrypted, and the server's certificate is
/// not checked against a CA (database servers mostly have certificates of
/// their own CA, e.g. Amazon RDS). The handshake signatures are verified, so
/// the session is bound to the certificate the server presented.
fn tls() -> Result<tokio_postgres_rustls::MakeRustlsConnect, String> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let verifier = Arc::new(EncryptOnly(provider.clone()));
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("cannot set up TLS: {e}"))?
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth();
    Ok(tokio_postgres_rustls::MakeRustlsConnect::new(config))
}

/// Accepts the server's certificate as libpq's `sslmode=require` does.
#[derive(Debug)]
struct EncryptOnly(Arc<rustls::crypto::CryptoProvider>);

impl rustls::client::danger::ServerCertVerifier for EncryptOnly {
    fn verify_server_cert(
        &self,
        _end_entity: &rustls::pki_types::CertificateDer<'_>,
        _intermediates: &[rustls::pki_types::CertificateDer<'_>],
        _server_name: &rustls::pki_types::ServerName<'_>,
        _ocsp_response: &[u8],
        _now: rustls::pki_types::UnixTime,
    ) -> Result<rustls::client::danger::ServerCertVerified, rustls::Error> {
        Ok(rustls::client::danger::ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &rustls::pki_types::CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.0.signature_verification_algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &rustls::pki_types::CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.0.signature_verification_algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}
