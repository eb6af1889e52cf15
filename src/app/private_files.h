// The data directory and the files that hold secrets are the daemon user's alone (issue 12,
// finding 8): config.txt and config.txt.previous hold InfluxDB tokens, Emoncms and PVOutput
// keys and the MQTT password; auth.json the password digests; the uploader cursors name the
// servers. New ones are written 0600 (base/files.h write_private_file); this checks what is
// already on disk.
#pragma once

#include <string>

#include "app/run_options.h"

namespace iw::app {

// Creates the data directory with mode 0700 when it does not exist (its parents as usual).
// Runs before logging starts, which writes into it.
void create_data_dir(const std::string& data_dir);

// Makes the data directory 0700 and config.txt, config.txt.previous (those of --config too),
// auth.json, auth.txt and upload/*.json 0600, each with a warning naming the path and the mode
// it had; one that cannot be changed is a warning too.
void restrict_private_files(const RunOptions& options);

}  // namespace iw::app
