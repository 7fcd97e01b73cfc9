// X509-SVID issuance (SPIFFE X509-SVID specification sections 4-5) and CRLs
// (RFC 5280 section 5).
#include "pki/certificate_authority.h"

#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <algorithm>

#include "pki/spiffe_id.h"
#include "pki/x509_fields.h"

namespace warden::pki {
namespace {

constexpr auto kRootLifetime = std::chrono::days(3650);

Result<PkeyPtr> GenerateP256Key() {
  PkeyPtr key(EVP_EC_gen("P-256"));
  if (!key) return OpensslError(StatusCode::kInternal, "generate CA key");
  return key;
}

Status SetName(X509* certificate, std::string_view common_name) {
  X509_NAME* name = X509_get_subject_name(certificate);
  const std::string cn(common_name);
  if (!X509_NAME_add_entry_by_txt(
          name, "O", MBSTRING_UTF8,
          reinterpret_cast<const unsigned char*>("Warden"), -1, -1, 0) ||
      !X509_NAME_add_entry_by_txt(
          name, "CN", MBSTRING_UTF8,
          reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0)) {
    return OpensslError(StatusCode::kInternal, "set CA name");
  }
  return Status::Ok();
}

Status AddRootExtensions(X509* certificate) {
  WARDEN_RETURN_IF_ERROR(AddExtension(
      certificate, certificate, NID_basic_constraints, "critical,CA:TRUE"));
  WARDEN_RETURN_IF_ERROR(AddExtension(certificate, certificate, NID_key_usage,
                                      "critical,keyCertSign,cRLSign"));
  WARDEN_RETURN_IF_ERROR(AddExtension(certificate, certificate,
                                      NID_subject_key_identifier, "hash"));
  return AddExtension(certificate, certificate, NID_authority_key_identifier,
                      "keyid:always");
}

Status AddLeafExtensions(X509* leaf, X509* issuer, std::string_view spiffe_id) {
  WARDEN_RETURN_IF_ERROR(
      AddExtension(leaf, issuer, NID_basic_constraints, "critical,CA:FALSE"));
  WARDEN_RETURN_IF_ERROR(
      AddExtension(leaf, issuer, NID_key_usage, "critical,digitalSignature"));
  WARDEN_RETURN_IF_ERROR(
      AddExtension(leaf, issuer, NID_ext_key_usage, "serverAuth,clientAuth"));
  WARDEN_RETURN_IF_ERROR(
      AddExtension(leaf, issuer, NID_subject_key_identifier, "hash"));
  WARDEN_RETURN_IF_ERROR(
      AddExtension(leaf, issuer, NID_authority_key_identifier, "keyid:always"));
  // The SPIFFE ID charset has no ',' so the config syntax cannot split it.
  return AddExtension(leaf, issuer, NID_subject_alt_name,
                      "critical,URI:" + std::string(spiffe_id));
}

Result<X509Ptr> ReadCertificate(std::string_view pem) {
  BioPtr bio = MemoryBio(pem);
  X509Ptr certificate(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  if (!certificate) {
    return OpensslError(StatusCode::kInvalidArgument,
                        "certificate PEM does not parse");
  }
  return certificate;
}

// The one URI SAN of a leaf; kUnauthenticated when there is not exactly one.
Result<std::string> OnlyUriSan(X509* leaf) {
  using Names = STACK_OF(GENERAL_NAME);
  std::unique_ptr<Names, OpensslDeleter<GENERAL_NAMES_free>> names(
      static_cast<Names*>(
          X509_get_ext_d2i(leaf, NID_subject_alt_name, nullptr, nullptr)));
  if (!names || sk_GENERAL_NAME_num(names.get()) != 1) {
    return Unauthenticated("certificate must carry exactly one SAN");
  }
  const GENERAL_NAME* name = sk_GENERAL_NAME_value(names.get(), 0);
  if (name->type != GEN_URI) {
    return Unauthenticated("certificate SAN is not a URI");
  }
  const ASN1_IA5STRING* uri = name->d.uniformResourceIdentifier;
  return std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(uri)),
                     static_cast<size_t>(ASN1_STRING_length(uri)));
}

}  // namespace

std::string CertificateToPem(X509* certificate) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509(bio.get(), certificate);
  return DrainBio(bio.get());
}

CertificateAuthority::CertificateAuthority(X509Ptr certificate, PkeyPtr key)
    : certificate_(std::move(certificate)),
      key_(std::move(key)),
      certificate_pem_(CertificateToPem(certificate_.get())) {}

Result<std::unique_ptr<CertificateAuthority>> CertificateAuthority::Generate(
    std::string_view trust_domain, Timestamp now) {
  WARDEN_RETURN_IF_ERROR(ValidateTrustDomain(trust_domain));
  WARDEN_ASSIGN_OR_RETURN(PkeyPtr key, GenerateP256Key());
  X509Ptr root(X509_new());
  if (!root || !X509_set_version(root.get(), X509_VERSION_3)) {
    return OpensslError(StatusCode::kInternal, "new CA certificate");
  }
  WARDEN_ASSIGN_OR_RETURN(std::string serial, SetRandomSerial(root.get()));
  WARDEN_RETURN_IF_ERROR(
      SetName(root.get(), "Warden CA " + std::string(trust_domain)));
  X509_set_issuer_name(root.get(), X509_get_subject_name(root.get()));
  WARDEN_RETURN_IF_ERROR(
      SetValidity(root.get(), now - kBackdate, now + kRootLifetime));
  X509_set_pubkey(root.get(), key.get());
  WARDEN_RETURN_IF_ERROR(AddRootExtensions(root.get()));
  if (!X509_sign(root.get(), key.get(), SigningDigest(key.get()))) {
    return OpensslError(StatusCode::kInternal, "self-sign CA certificate");
  }
  return std::unique_ptr<CertificateAuthority>(
      new CertificateAuthority(std::move(root), std::move(key)));
}

Result<std::unique_ptr<CertificateAuthority>> CertificateAuthority::Load(
    std::string_view certificate_pem, std::string_view key_pem) {
  if (certificate_pem.size() > kMaxImportPemBytes ||
      key_pem.size() > kMaxImportPemBytes) {
    return InvalidArgument("CA import: PEM larger than 64 KiB");
  }
  WARDEN_ASSIGN_OR_RETURN(X509Ptr certificate,
                          ReadCertificate(certificate_pem));
  BioPtr bio = MemoryBio(key_pem);
  PkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  if (!key) {
    return OpensslError(StatusCode::kInvalidArgument,
                        "CA import: private key PEM does not parse");
  }
  if (X509_check_private_key(certificate.get(), key.get()) != 1) {
    return OpensslError(StatusCode::kInvalidArgument,
                        "CA import: key does not match the certificate");
  }
  if (X509_check_ca(certificate.get()) == 0) {
    ERR_clear_error();
    return InvalidArgument("CA import: certificate is not a CA certificate");
  }
  return std::unique_ptr<CertificateAuthority>(
      new CertificateAuthority(std::move(certificate), std::move(key)));
}

Result<IssuedCertificate> CertificateAuthority::Sign(
    const CertificateRequest& request, std::string_view spiffe_id,
    Timestamp now, std::chrono::seconds lifetime) const {
  const Timestamp ca_expiry =
      FromAsn1Time(X509_get0_notAfter(certificate_.get()));
  if (ca_expiry <= now) {
    return FailedPrecondition("the CA certificate has expired", "ca-expired");
  }
  IssuedCertificate issued;
  issued.spiffe_id = std::string(spiffe_id);
  // X.509 times have whole seconds; keep the record equal to the leaf.
  issued.not_before =
      Timestamp(std::chrono::floor<std::chrono::seconds>(now - kBackdate));
  issued.not_after = std::min(
      Timestamp(std::chrono::floor<std::chrono::seconds>(now + lifetime)),
      ca_expiry);
  X509Ptr leaf(X509_new());
  if (!leaf || !X509_set_version(leaf.get(), X509_VERSION_3)) {
    return OpensslError(StatusCode::kInternal, "new leaf certificate");
  }
  WARDEN_ASSIGN_OR_RETURN(issued.serial, SetRandomSerial(leaf.get()));
  X509_set_issuer_name(leaf.get(), X509_get_subject_name(certificate_.get()));
  WARDEN_RETURN_IF_ERROR(
      SetValidity(leaf.get(), issued.not_before, issued.not_after));
  X509_set_pubkey(leaf.get(), request.public_key());
  WARDEN_RETURN_IF_ERROR(
      AddLeafExtensions(leaf.get(), certificate_.get(), spiffe_id));
  if (!X509_sign(leaf.get(), key_.get(), SigningDigest(key_.get()))) {
    return OpensslError(StatusCode::kInternal, "sign leaf certificate");
  }
  issued.pem = CertificateToPem(leaf.get());
  return issued;
}

Result<LeafFacts> CertificateAuthority::InspectLeaf(
    std::string_view pem) const {
  if (pem.size() > kMaxImportPemBytes) {
    return InvalidArgument("certificate PEM larger than 64 KiB");
  }
  WARDEN_ASSIGN_OR_RETURN(X509Ptr leaf, ReadCertificate(pem));
  PkeyPtr ca_key(X509_get_pubkey(certificate_.get()));
  if (X509_verify(leaf.get(), ca_key.get()) != 1) {
    ERR_clear_error();
    return Unauthenticated("certificate was not issued by this CA");
  }
  LeafFacts facts;
  facts.serial = SerialHex(X509_get0_serialNumber(leaf.get()));
  facts.public_key_der = PublicKeyDer(X509_get0_pubkey(leaf.get()));
  WARDEN_ASSIGN_OR_RETURN(facts.spiffe_id, OnlyUriSan(leaf.get()));
  facts.not_before = FromAsn1Time(X509_get0_notBefore(leaf.get()));
  facts.not_after = FromAsn1Time(X509_get0_notAfter(leaf.get()));
  return facts;
}

Result<std::string> CertificateAuthority::CrlPem(
    const std::vector<RevokedSerial>& revoked, int64_t crl_number,
    Timestamp now, std::chrono::seconds validity) const {
  X509CrlPtr crl(X509_CRL_new());
  std::unique_ptr<ASN1_TIME, OpensslDeleter<ASN1_TIME_free>> last(
      ASN1_TIME_new()),
      next(ASN1_TIME_new());
  if (!crl || !last || !next || !X509_CRL_set_version(crl.get(), 1) ||
      !X509_CRL_set_issuer_name(crl.get(),
                                X509_get_subject_name(certificate_.get())) ||
      !SetAsn1Time(last.get(), now) ||
      !SetAsn1Time(next.get(), now + validity) ||
      !X509_CRL_set1_lastUpdate(crl.get(), last.get()) ||
      !X509_CRL_set1_nextUpdate(crl.get(), next.get())) {
    return OpensslError(StatusCode::kInternal, "build CRL");
  }
  for (const RevokedSerial& entry : revoked) {
    WARDEN_RETURN_IF_ERROR(
        AddRevoked(crl.get(), entry.serial, entry.revoked_at));
  }
  WARDEN_RETURN_IF_ERROR(
      AddCrlExtensions(crl.get(), certificate_.get(), crl_number));
  X509_CRL_sort(crl.get());
  if (!X509_CRL_sign(crl.get(), key_.get(), SigningDigest(key_.get()))) {
    return OpensslError(StatusCode::kInternal, "sign CRL");
  }
  BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509_CRL(bio.get(), crl.get());
  return DrainBio(bio.get());
}

Result<std::string> CertificateAuthority::PrivateKeyPem() const {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!PEM_write_bio_PrivateKey(bio.get(), key_.get(), nullptr, nullptr, 0,
                                nullptr, nullptr)) {
    return OpensslError(StatusCode::kInternal, "encode CA key");
  }
  return DrainBio(bio.get());
}

Result<std::string> CrlPemToDer(std::string_view pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  X509CrlPtr crl(PEM_read_bio_X509_CRL(bio.get(), nullptr, nullptr, nullptr));
  if (!crl) return Internal("CRL PEM does not re-read");
  unsigned char* der = nullptr;
  const int length = i2d_X509_CRL(crl.get(), &der);
  if (length <= 0) return Internal("CRL does not encode");
  std::string out(reinterpret_cast<char*>(der), static_cast<size_t>(length));
  OPENSSL_free(der);
  return out;
}

}  // namespace warden::pki
