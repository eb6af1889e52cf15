// `iotawatt import --data DIR FILE...`: brings an IoTaWatt owner's history along. Each file
// is one of the original firmware's logs (256-byte records): `histlog.log` (60 s) goes into
// the history log, any other (`iotalog.log`, 5 s) into the current log. Run it before the
// daemon writes newer data: records are never written out of order.
#pragma once

#include <string>
#include <vector>

namespace iw::cli {

// Returns the exit code: 0, 1 when a file could not be imported, 2 on bad arguments.
int run_import(const std::string& data_dir, const std::vector<std::string>& files);

}  // namespace iw::cli
