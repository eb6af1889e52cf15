#include "upload/curl_transport.h"

#include <curl/curl.h>

#include <mutex>

namespace iw::upload {
namespace {

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// Where an answer goes, and how much of it may come. Returning less than was given makes
// libcurl stop with CURLE_WRITE_ERROR.
struct AnswerSink {
  HttpResponse* response;
  size_t max_body, max_header;
  size_t header_bytes = 0;
  bool too_large = false;
};

size_t append_body(char* data, size_t size, size_t n, void* user) {
  auto* sink = static_cast<AnswerSink*>(user);
  if (sink->response->body.size() + size * n > sink->max_body) {
    sink->too_large = true;
    return 0;
  }
  sink->response->body.append(data, size * n);
  return size * n;
}

size_t append_header(char* data, size_t size, size_t n, void* user) {
  auto* sink = static_cast<AnswerSink*>(user);
  sink->header_bytes += size * n;
  if (sink->header_bytes > sink->max_header) {
    sink->too_large = true;
    return 0;
  }
  auto* headers = &sink->response->headers;
  std::string_view line(data, size * n);
  if (line.starts_with("HTTP/")) {
    headers->clear();  // a new response (after 100 Continue or a redirect)
    return size * n;
  }
  const size_t colon = line.find(':');
  if (colon == std::string_view::npos) return size * n;
  std::string_view value = line.substr(colon + 1);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' '))
    value.remove_suffix(1);
  headers->emplace_back(std::string(line.substr(0, colon)), std::string(value));
  return size * n;
}

// "host:port" of an absolute URL, for messages (never its query, which may hold a key).
std::string host_of(const std::string& url) {
  size_t start = url.find("://");
  start = start == std::string::npos ? 0 : start + 3;
  const size_t end = url.find_first_of("/?#", start);
  return url.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

int check_abort(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  const auto* abort = static_cast<const std::atomic<bool>*>(user);
  return abort && abort->load() ? 1 : 0;
}

TransportFailure failure_kind(CURLcode rc) {
  switch (rc) {
    case CURLE_OK:
      return TransportFailure::kNone;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
      return TransportFailure::kHostUnknown;
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_GOT_NOTHING:
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_PARTIAL_FILE:
    case CURLE_UNSUPPORTED_PROTOCOL:  // "Received HTTP/0.9": something else listens there
      return TransportFailure::kNoHttpAnswer;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
      return TransportFailure::kTls;
    default:
      return TransportFailure::kOther;
  }
}

struct HeaderList {
  curl_slist* list = nullptr;
  ~HeaderList() { curl_slist_free_all(list); }
};

}  // namespace

CurlTransport::CurlTransport(TransportOptions options) : options_(std::move(options)) {
  global_init();
  curl_ = curl_easy_init();
}

CurlTransport::~CurlTransport() {
  if (curl_) curl_easy_cleanup(static_cast<CURL*>(curl_));
}

Result<HttpResponse> CurlTransport::send(const HttpRequest& request) {
  CURL* c = static_cast<CURL*>(curl_);
  const std::string host = host_of(request.url);
  last_failure_ = TransportFailure::kOther;
  if (!c) return Status::IOError(host + ": cannot start libcurl");
  curl_easy_reset(c);
  HttpResponse response;
  char error[CURL_ERROR_SIZE] = {0};
  HeaderList headers;
  for (const auto& [name, value] : request.headers) {
    headers.list = curl_slist_append(headers.list, (name + ": " + value).c_str());
  }
  headers.list = curl_slist_append(headers.list, "Expect:");  // no 100-continue round trip
  curl_easy_setopt(c, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.list);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, options_.connect_timeout_ms);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, options_.total_timeout_ms);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!options_.cafile.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, options_.cafile.c_str());
  if (options_.direct) curl_easy_setopt(c, CURLOPT_NOPROXY, "*");
  AnswerSink sink{&response, options_.max_body_bytes, options_.max_header_bytes};
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, append_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, append_header);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &sink);
  if (request.method == "POST") {
    curl_easy_setopt(c, CURLOPT_POST, 1L);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  } else if (request.method != "GET") {
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  }
  if (options_.abort) {
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, check_abort);
    curl_easy_setopt(c, CURLOPT_XFERINFODATA, options_.abort.get());
  }
  const CURLcode rc = curl_easy_perform(c);
  last_failure_ = failure_kind(rc);
  if (sink.too_large) {
    last_failure_ = TransportFailure::kNoHttpAnswer;
    return Status::Unavailable(host + ": the answer is larger than " + std::to_string(options_.max_body_bytes >> 10) +
                               " KiB of body or " + std::to_string(options_.max_header_bytes >> 10) +
                               " KiB of headers; not read (is this the right server?)");
  }
  if (rc != CURLE_OK) {
    const std::string reason = error[0] ? error : curl_easy_strerror(rc);
    return Status::Unavailable(host + ": " + reason);
  }
  long status = 0;  // NOLINT(runtime/int): libcurl's type
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  response.status = static_cast<int>(status);
  return response;
}

}  // namespace iw::upload
