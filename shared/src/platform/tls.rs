//! The process's TLS crypto provider for HTTP clients outside the AWS SDK (webhook deliveries):
//! ring, the provider the SDK's client is built with here (`config::sdk_config`).

/// Installs ring as the process's default rustls provider. Idempotent.
pub fn install_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}
