#include "upload/test_report.h"

namespace iw::upload {
namespace {

// Our hint for a status code; every word here is ours, none the server's.
std::string hint_for(int status, const std::string& type) {
  if (status == 200) return "the answer is not what " + type + " sends: check the URL";
  if (status == 401 || status == 403) return "check the user name and password, token or API key";
  if (status == 404) return "check the URL and the database, bucket or node name";
  if (status >= 300 && status < 400) return "a redirect: use the URL it leads to";
  if (status >= 400 && status < 500) return "the server refused the question: check the settings";
  if (status >= 500 && status < 600) return "the server failed: see its log";
  return "an unexpected answer";
}

}  // namespace

std::string transport_failure_report(const std::string& host, TransportFailure failure) {
  switch (failure) {
    case TransportFailure::kHostUnknown:
      return host + ": the host name does not resolve: check the URL";
    case TransportFailure::kTls:
      return host + ": TLS failed (certificate or handshake): check https:// and the CA file";
    case TransportFailure::kNoHttpAnswer:
      return host + ": no HTTP answer (nothing listening, a firewall, or not an HTTP server): check the URL and port";
    case TransportFailure::kNone:
    case TransportFailure::kOther:
      break;
  }
  return host + ": the request failed: check the URL";
}

std::string http_answer_report(const std::string& host, int status, const std::string& type) {
  return "HTTP " + std::to_string(status) + " from " + host + ": " + hint_for(status, type);
}

}  // namespace iw::upload
