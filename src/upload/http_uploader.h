// Builds a running uploader (protocol, libcurl transport, datalog reader, cursor file) from
// one typed uploader config section. The one place that maps a "type" to its Protocol.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "base/status.h"
#include "config/uploader_config.h"
#include "query/record_source.h"
#include "upload/runner.h"

namespace iw::upload {

struct BuiltProtocol {
  std::unique_ptr<Protocol> protocol;
  std::string target;  // server and series, no secrets: what a cursor belongs to
};

// The protocol of `uc` (types "influxdb", "influxdb2"; the others are added by their
// owners). Errors name the key path.
Result<BuiltProtocol> make_protocol(const config::UploaderConfig& uc, const config::Config& config);

struct UploadEnvironment {
  const query::RecordSource* records = nullptr;           // must outlive the uploader
  std::function<std::optional<int64_t>()> last_time;      // newest record of the logs
  std::string data_dir;                                   // cursors go to <data_dir>/upload/
};

Result<std::unique_ptr<UploadRunner>> start_http_uploader(const config::UploaderConfig& uc,
                                                          const config::Config& config,
                                                          const UploadEnvironment& env);

// POST /upload/test: asks the server of `uc` for its last point, with the transport the
// uploader would use.
struct ConnectionTest {
  bool ok = false;
  std::string message;
  std::optional<int64_t> last_point;
};
ConnectionTest test_connection(const config::UploaderConfig& uc, const config::Config& config);

}  // namespace iw::upload
