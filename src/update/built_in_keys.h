// The release keys a build trusts from the start: set when the program is built
// (`cmake -DIOTAWATT_UPDATE_KEYS=<hex>[,<hex>...]`), replaced on the device by a signed key
// rotation (FORMAT.md). A build without them checks for updates only when the config names a
// key (update_server.keys): a self-publisher's build.
#pragma once

#include <string>
#include <vector>

namespace iw::update {

std::vector<std::string> built_in_keys();

}  // namespace iw::update
