// Keys that look like measurement settings but are not where the parser reads them.
//
// Unknown keys are kept verbatim (the web app keeps some of its own in an input, e.g.
// "vref"), but a key that changes how a channel is measured must never be kept and ignored:
// the channel would then be measured with settings other than those the user wrote, with
// nothing to show for it but a few percent of error. So a key that is a case or spelling
// variant of a setting ("P50", "Phase", "p_50", "phase_deg", "vChan"), a measurement-like
// name ("lead", "ratio", "burden", "gain", "offset", "calibration"), or a setting in the
// wrong place ("p50" at the top level or in "device") is refused with what to write instead.
//
// Internal to src/config.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace iw::config::detail {

// Where a key was found.
enum class KeyPlace {
  kTop,     // the config object itself
  kDevice,  // "device"
  kInput,   // an entry of "inputs"
};

// Why `key`, which the parser did not read at `place`, must not be kept: it looks like a
// measurement setting. The text says what to write instead, e.g. for "Phase" in an input:
// `not a key; write "phase" (static lead of the sensor, degrees)`. nullopt when the key
// does not look like a measurement setting (it is then kept verbatim).
std::optional<std::string> measurement_key_problem(std::string_view key, KeyPlace place);

}  // namespace iw::config::detail
