//! Private keys and certificates in the encodings Sprig's Go code uses: PKCS#1
//! `RSA PRIVATE KEY`, SEC1 `EC PRIVATE KEY`, OpenSSL `DSA PRIVATE KEY`, PKCS#8 `PRIVATE
//! KEY` for Ed25519; certificates shaped like Sprig's `getBaseCertTemplate` (CN only,
//! random 128-bit serial, digitalSignature+keyEncipherment, serverAuth+clientAuth, basic
//! constraints, SANs), signed with rcgen; the subject and extensions are encoded as Go's
//! `x509.CreateCertificate` does (see `go_extensions`).

use std::fmt::Write as _;

use base64::Engine as _;
use rcgen::string::PrintableString;
use rcgen::{
    CertificateParams, CustomExtension, DistinguishedName, DnType, DnValue, IsCa, Issuer, KeyPair,
    SerialNumber,
};
use rsa::pkcs1::{DecodeRsaPrivateKey, EncodeRsaPrivateKey};
use rsa::pkcs8::{DecodePrivateKey, EncodePrivateKey};

/// Go's `pem.EncodeToMemory`: 64-column base64 lines, LF endings.
pub fn pem_encode(label: &str, der: &[u8]) -> String {
    let body = base64::engine::general_purpose::STANDARD.encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for chunk in body.as_bytes().chunks(64) {
        out.push_str(&String::from_utf8_lossy(chunk));
        out.push('\n');
    }
    let _ = writeln!(out, "-----END {label}-----");
    out
}

/// Go's `pem.Decode` (first block): text before `-----BEGIN` is skipped, headers are
/// ignored, the body is base64 with any whitespace.
pub fn pem_decode(text: &str) -> Option<(String, Vec<u8>)> {
    let start = text.find("-----BEGIN ")?;
    let rest = &text[start + 11..];
    let label_end = rest.find("-----")?;
    let label = &rest[..label_end];
    let body_start = &rest[label_end + 5..];
    let end_marker = format!("-----END {label}-----");
    let end = body_start.find(&end_marker)?;
    let body = &body_start[..end];
    // Headers ("Key: value" lines) end at the first blank line.
    let body = if body.lines().nth(1).is_some_and(|l| l.contains(':')) {
        body.split_once("\n\n").map_or(body, |(_, b)| b)
    } else {
        body
    };
    let b64: String = body.chars().filter(|c| !c.is_whitespace()).collect();
    let der = base64::engine::general_purpose::STANDARD.decode(b64).ok()?;
    Some((label.to_string(), der))
}

/// Validates DER as an X.509 certificate (Go's `x509.ParseCertificate`).
pub fn check_certificate(der: &[u8]) -> Result<(), String> {
    x509_parser::parse_x509_certificate(der)
        .map(|_| ())
        .map_err(|_| "x509: malformed certificate".to_string())
}

/// A private key of one of the types Sprig generates or accepts.
pub enum PrivKey {
    Rsa(Box<rsa::PrivateKey>),
    Ec(p256::SecretKey),
    Ed(ed25519_dalek::SigningKey),
    Dsa(Box<dsa::SigningKey>),
}

/// DER INTEGER of a big-endian unsigned magnitude.
fn der_uint(out: &mut Vec<u8>, be: &[u8]) {
    let trimmed: &[u8] = {
        let first = be
            .iter()
            .position(|&b| b != 0)
            .unwrap_or(be.len().saturating_sub(1));
        &be[first.min(be.len())..]
    };
    let mut content = Vec::with_capacity(trimmed.len() + 1);
    if trimmed.is_empty() || trimmed[0] & 0x80 != 0 {
        content.push(0);
    }
    content.extend_from_slice(trimmed);
    out.push(0x02);
    der_len(out, content.len());
    out.extend_from_slice(&content);
}

fn der_len(out: &mut Vec<u8>, len: usize) {
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let first = bytes
            .iter()
            .position(|&b| b != 0)
            .unwrap_or(bytes.len() - 1);
        out.push(0x80 | (bytes.len() - first) as u8);
        out.extend_from_slice(&bytes[first..]);
    }
}

/// Reads one DER INTEGER, returning its magnitude bytes and the rest.
fn der_read_uint(input: &[u8]) -> Option<(&[u8], &[u8])> {
    let (&tag, rest) = input.split_first()?;
    if tag != 0x02 {
        return None;
    }
    let (len, rest) = der_read_len(rest)?;
    (rest.len() >= len).then(|| (&rest[..len], &rest[len..]))
}

fn der_read_len(input: &[u8]) -> Option<(usize, &[u8])> {
    let (&first, rest) = input.split_first()?;
    if first < 0x80 {
        return Some((usize::from(first), rest));
    }
    let n = usize::from(first & 0x7f);
    if n == 0 || n > 4 || rest.len() < n {
        return None;
    }
    let len = rest[..n]
        .iter()
        .fold(0usize, |acc, &b| acc << 8 | usize::from(b));
    Some((len, &rest[n..]))
}

/// A DER magnitude as a `BoxedUint` whose precision is its bit length rounded up to
/// whole 64-bit limbs (DSA key sizes are checked against that precision).
fn boxed(be: &[u8]) -> crypto_bigint::BoxedUint {
    let first = be.iter().position(|&b| b != 0).unwrap_or(be.len());
    let be = &be[first..];
    let bits = (be.len() as u32 * 8).div_ceil(64).max(1) * 64;
    crypto_bigint::BoxedUint::from_be_slice(be, bits)
        .unwrap_or_else(|_| crypto_bigint::BoxedUint::zero())
}

impl PrivKey {
    pub fn generate_rsa(bits: usize) -> Result<PrivKey, String> {
        rsa::PrivateKey::new(&mut rand::rng(), bits)
            .map(|k| PrivKey::Rsa(Box::new(k)))
            .map_err(|e| e.to_string())
    }

    pub fn generate_ecdsa() -> PrivKey {
        PrivKey::Ec(p256::elliptic_curve::Generate::generate_from_rng(
            &mut rand::rng(),
        ))
    }

    pub fn generate_ed25519() -> PrivKey {
        PrivKey::Ed(ed25519_dalek::SigningKey::generate(&mut rand::rng()))
    }

    /// DSA with L=2048, N=256 parameters, as Sprig asks Go for.
    pub fn generate_dsa() -> Result<PrivKey, String> {
        let mut rng = rand::rng();
        let components = dsa::Components::try_generate_from_rng_with_key_size(
            &mut rng,
            dsa::KeySize::DSA_2048_256,
        )
        .map_err(|e| format!("failed to generate dsa params: {e:?}"))?;
        dsa::SigningKey::try_generate_from_rng_with_components(&mut rng, components)
            .map(|k| PrivKey::Dsa(Box::new(k)))
            .map_err(|e| format!("{e:?}"))
    }

    /// Go's `pemBlockForKey` encoding.
    pub fn to_go_pem(&self) -> Result<String, String> {
        Ok(match self {
            PrivKey::Rsa(k) => {
                let der = k.to_pkcs1_der().map_err(|e| e.to_string())?;
                pem_encode("RSA PRIVATE KEY", der.as_bytes())
            }
            PrivKey::Ec(k) => {
                let der = k.to_sec1_der().map_err(|e| e.to_string())?;
                pem_encode("EC PRIVATE KEY", &der)
            }
            PrivKey::Ed(k) => pem_encode("PRIVATE KEY", &ed25519_pkcs8(k)),
            PrivKey::Dsa(k) => {
                let c = k.verifying_key().components();
                let mut body = Vec::new();
                der_uint(&mut body, &[0]);
                for v in [
                    c.p().to_be_bytes(),
                    c.q().to_be_bytes(),
                    c.g().to_be_bytes(),
                    k.verifying_key().y().to_be_bytes(),
                    k.x().to_be_bytes(),
                ] {
                    der_uint(&mut body, &v);
                }
                let mut der = vec![0x30];
                der_len(&mut der, body.len());
                der.extend_from_slice(&body);
                pem_encode("DSA PRIVATE KEY", &der)
            }
        })
    }

    /// Sprig's `parsePrivateKeyPEM`, with its error messages.
    pub fn parse_pem(text: &str) -> Result<PrivKey, String> {
        let (label, der) = pem_decode(text).ok_or("no PEM data in input")?;
        if label == "PRIVATE KEY" {
            return PrivKey::from_pkcs8(&der).ok_or_else(|| {
                "decoding PEM as PKCS#8: x509: failed to parse private key".to_string()
            });
        }
        let Some(kind) = label.strip_suffix(" PRIVATE KEY") else {
            return Err(format!("no private key data in PEM block of type {label}"));
        };
        match kind {
            "RSA" => rsa::PrivateKey::from_pkcs1_der(&der)
                .map(|k| PrivKey::Rsa(Box::new(k)))
                .map_err(|e| format!("parsing RSA private key from PEM: {e}")),
            "EC" => p256::SecretKey::from_sec1_der(&der)
                .map(PrivKey::Ec)
                .map_err(|e| format!("parsing EC private key from PEM: {e}")),
            "DSA" => PrivKey::dsa_from_der(&der).ok_or_else(|| {
                "parsing DSA private key from PEM: asn1: structure error".to_string()
            }),
            _ => Err(format!("invalid private key type {label}")),
        }
    }

    fn from_pkcs8(der: &[u8]) -> Option<PrivKey> {
        if let Ok(k) = rsa::PrivateKey::from_pkcs8_der(der) {
            return Some(PrivKey::Rsa(Box::new(k)));
        }
        if let Ok(k) = p256::SecretKey::from_pkcs8_der(der) {
            return Some(PrivKey::Ec(k));
        }
        ed25519_dalek::SigningKey::from_pkcs8_der(der)
            .ok()
            .map(PrivKey::Ed)
    }

    /// OpenSSL's `DSAPrivateKey`: SEQUENCE { version, p, q, g, y, x }.
    fn dsa_from_der(der: &[u8]) -> Option<PrivKey> {
        let (&tag, rest) = der.split_first()?;
        if tag != 0x30 {
            return None;
        }
        let (len, mut rest) = der_read_len(rest)?;
        rest = rest.get(..len)?;
        let mut ints = Vec::new();
        while !rest.is_empty() {
            let (v, r) = der_read_uint(rest)?;
            ints.push(v);
            rest = r;
        }
        let [_, p, q, g, y, x] = ints.as_slice() else {
            return None;
        };
        let components = dsa::Components::from_components(boxed(p), boxed(q), boxed(g)).ok()?;
        let verifying = dsa::VerifyingKey::from_components(components, boxed(y)).ok()?;
        dsa::SigningKey::from_components(verifying, boxed(x))
            .ok()
            .map(|k| PrivKey::Dsa(Box::new(k)))
    }

    /// An rcgen signing key; DSA cannot sign certificates (nor can Go's x509).
    fn key_pair(&self) -> Result<KeyPair, String> {
        let (der, alg) = match self {
            PrivKey::Rsa(k) => (
                k.to_pkcs8_der()
                    .map_err(|e| e.to_string())?
                    .as_bytes()
                    .to_vec(),
                &rcgen::PKCS_RSA_SHA256,
            ),
            PrivKey::Ec(k) => (
                k.to_pkcs8_der()
                    .map_err(|e| e.to_string())?
                    .as_bytes()
                    .to_vec(),
                &rcgen::PKCS_ECDSA_P256_SHA256,
            ),
            PrivKey::Ed(k) => (ed25519_pkcs8(k), &rcgen::PKCS_ED25519),
            PrivKey::Dsa(_) => {
                return Err(
                    "x509: certificate private key does not implement crypto.Signer".into(),
                );
            }
        };
        let der = rustls_pki_types::PrivatePkcs8KeyDer::from(der);
        KeyPair::from_pkcs8_der_and_sign_algo(&der, alg).map_err(|e| e.to_string())
    }
}

/// Go's `MarshalPKCS8PrivateKey` for Ed25519: version 0, no public key.
fn ed25519_pkcs8(k: &ed25519_dalek::SigningKey) -> Vec<u8> {
    let mut der = vec![
        0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04,
        0x20,
    ];
    der.extend_from_slice(&k.to_bytes());
    der
}

/// What Sprig's `getBaseCertTemplate` receives.
#[derive(Debug, Clone)]
pub struct CertSpec {
    pub cn: String,
    pub ips: Vec<std::net::IpAddr>,
    pub dns: Vec<String>,
    pub days: i64,
    pub ca: bool,
    /// When the template asked for the certificate (its `NotBefore`), even if it is made
    /// later (see `LazyCert`).
    pub issued_at: time::OffsetDateTime,
}

/// Creates a certificate for `key`, self-signed or signed by `signer` (CA certificate
/// DER and key). Returns the certificate PEM; errors carry Sprig's prefix.
pub fn create_certificate(
    spec: &CertSpec,
    key: &PrivKey,
    signer: Option<(&[u8], &PrivKey)>,
) -> Result<String, String> {
    let key_pair = key
        .key_pair()
        .map_err(|e| format!("error creating certificate: {e}"))?;
    let mut params = CertificateParams::default();
    let mut dn = DistinguishedName::new();
    // Go leaves an empty CN out of the subject.
    if !spec.cn.is_empty() {
        dn.push(DnType::CommonName, go_dn_string(&spec.cn));
    }
    params.distinguished_name = dn;
    // `rand.Int(rand.Reader, 2^128)`: a full 128-bit positive serial.
    let mut serial = [0u8; 16];
    rand::RngExt::fill(&mut rand::rng(), &mut serial[..]);
    params.serial_number = Some(SerialNumber::from_slice(&serial));
    let now = spec.issued_at;
    params.not_before = now;
    params.not_after = now + time::Duration::hours(24 * spec.days);
    // Every extension is written by hand, in the order and form Go's `CreateCertificate`
    // uses; rcgen's own extension writers are left empty (`is_ca = NoCa`).
    params.is_ca = IsCa::NoCa;
    let authority_key_id = match signer {
        Some((ca_der, _)) => subject_key_id(ca_der)?,
        None => None,
    };
    let subject_empty = spec.cn.is_empty();
    params.custom_extensions = go_extensions(
        spec,
        key_pair.public_key_raw(),
        authority_key_id.as_deref(),
        subject_empty,
    )?;
    let cert = match signer {
        None => params.self_signed(&key_pair),
        Some((ca_der, ca_key)) => {
            let ca_pair = ca_key
                .key_pair()
                .map_err(|e| format!("error creating certificate: {e}"))?;
            let ca_der = rustls_pki_types::CertificateDer::from(ca_der.to_vec());
            let issuer = Issuer::from_ca_cert_der(&ca_der, ca_pair)
                .map_err(|e| format!("error creating certificate: {e}"))?;
            params.signed_by(&key_pair, &issuer)
        }
    }
    .map_err(|e| format!("error creating certificate: {e}"))?;
    Ok(pem_encode("CERTIFICATE", cert.der()))
}

/// Go's `encoding/asn1` writes an untyped string as PrintableString when every character
/// is in that set (without `*` and `&`), else as UTF8String.
fn go_dn_string(text: &str) -> DnValue {
    let printable = text.bytes().all(|b| {
        b.is_ascii_alphanumeric()
            || matches!(
                b,
                b' ' | b'\'' | b'(' | b')' | b'+' | b',' | b'-' | b'.' | b'/' | b':' | b'=' | b'?'
            )
    });
    match PrintableString::try_from(text) {
        Ok(p) if printable => DnValue::PrintableString(p),
        _ => DnValue::Utf8String(text.to_string()),
    }
}

/// The subject key identifier of a CA certificate, which Go copies into the signed
/// certificate's authority key identifier (none when the CA has none).
fn subject_key_id(ca_der: &[u8]) -> Result<Option<Vec<u8>>, String> {
    use x509_parser::extensions::ParsedExtension;
    let (_, x509) = x509_parser::parse_x509_certificate(ca_der)
        .map_err(|e| format!("error creating certificate: {e}"))?;
    Ok(x509
        .extensions()
        .iter()
        .find_map(|ext| match ext.parsed_extension() {
            ParsedExtension::SubjectKeyIdentifier(id) => Some(id.0.to_vec()),
            _ => None,
        }))
}

/// One DER TLV.
fn der_tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    der_len(&mut out, content.len());
    out.extend_from_slice(content);
    out
}

fn extension(oid: &[u64], critical: bool, content: Vec<u8>) -> CustomExtension {
    let mut ext = CustomExtension::from_oid_content(oid, content);
    ext.set_criticality(critical);
    ext
}

/// The extensions of Sprig's certificate template as Go's `buildCertExtensions` writes
/// them: key usage, extended key usage, basic constraints, subject key id (CAs only:
/// SHA-256 of the public key truncated to 160 bits, Go 1.25), authority key id (the
/// signer's subject key id), subject alternative names (DNS, then IPs; critical when
/// the subject is empty).
fn go_extensions(
    spec: &CertSpec,
    public_key: &[u8],
    authority_key_id: Option<&[u8]>,
    subject_empty: bool,
) -> Result<Vec<CustomExtension>, String> {
    use sha2::Digest as _;
    let mut exts = Vec::new();
    // digitalSignature (bit 0), keyEncipherment (bit 2), keyCertSign (bit 5), written
    // as a BIT STRING cut after the last set bit.
    let (usage, unused) = if spec.ca { (0xa4u8, 2u8) } else { (0xa0, 5) };
    exts.push(extension(
        &[2, 5, 29, 15],
        true,
        der_tlv(0x03, &[unused, usage]),
    ));
    let server_auth = der_tlv(0x06, &[0x2b, 6, 1, 5, 5, 7, 3, 1]);
    let client_auth = der_tlv(0x06, &[0x2b, 6, 1, 5, 5, 7, 3, 2]);
    exts.push(extension(
        &[2, 5, 29, 37],
        false,
        der_tlv(0x30, &[server_auth, client_auth].concat()),
    ));
    let constraints = if spec.ca {
        der_tlv(0x30, &der_tlv(0x01, &[0xff]))
    } else {
        der_tlv(0x30, &[])
    };
    exts.push(extension(&[2, 5, 29, 19], true, constraints));
    if spec.ca {
        let digest = sha2::Sha256::digest(public_key);
        exts.push(extension(
            &[2, 5, 29, 14],
            false,
            der_tlv(0x04, &digest[..20]),
        ));
    }
    if let Some(id) = authority_key_id {
        exts.push(extension(
            &[2, 5, 29, 35],
            false,
            der_tlv(0x30, &der_tlv(0x80, id)),
        ));
    }
    if !spec.dns.is_empty() || !spec.ips.is_empty() {
        let mut names = Vec::new();
        for name in &spec.dns {
            if !name.is_ascii() {
                return Err(format!(
                    "error processing alternate dns name: {name} is not ASCII"
                ));
            }
            names.extend(der_tlv(0x82, name.as_bytes()));
        }
        for ip in &spec.ips {
            match ip {
                std::net::IpAddr::V4(v4) => names.extend(der_tlv(0x87, &v4.octets())),
                std::net::IpAddr::V6(v6) => names.extend(der_tlv(0x87, &v6.octets())),
            }
        }
        exts.push(extension(
            &[2, 5, 29, 17],
            subject_empty,
            der_tlv(0x30, &names),
        ));
    }
    Ok(exts)
}
