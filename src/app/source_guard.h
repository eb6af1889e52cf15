// Simulated data never goes into a datalog that holds an ADC board's measurements without the
// user saying so (issue 12, finding 6). The datalog's SOURCE mark (datalog/source_mark.h)
// says which kind of source has been feeding it.
//
// At start-up (and on /command?restart) a daemon whose source is the simulator or a replay
// refuses a data directory marked "adc" unless it was given --confirm-source. Over HTTP, a
// config that switches the source needs ?confirm=source (config_change.h). Once confirmed, or
// when the directory has no mark yet, the mark is set to the source now feeding it.
#pragma once

#include <string>

#include "app/run_options.h"
#include "base/status.h"
#include "config/config.h"
#include "datalog/source_mark.h"

namespace iw::app {

// What feeds the datalog when the daemon runs `config` with `options`: a replay file (--replay),
// else the ADC board of the config's "adc" section, else the simulator.
datalog::DataSource source_of(const RunOptions& options, const config::Config& config);

// Ok when `source` may write into the datalog of `data_dir`. `confirmed`: the user said that
// simulated data may follow an ADC board's. The error says what is in the way and names the
// flag that allows it.
Status check_source(const std::string& data_dir, datalog::DataSource source, bool confirmed);

// Marks the datalog of `data_dir` as fed by `source` (when it says otherwise); a failure is
// logged, the daemon goes on.
void record_source(const std::string& data_dir, datalog::DataSource source);

}  // namespace iw::app
