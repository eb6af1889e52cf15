// POST /calc/preview: one script evaluated on the live values, for the web app's script editor.
// Body: {"expr": "..."} or {"script": "..."}, optional "units" (default Watts). Answer 200
// {"value": v, "units": "Watts"}, or 400 {"error": "position 3: ..."} naming what is wrong.
// The script may use the running config's inputs, outputs and integrators.
#pragma once

#include <string>
#include <vector>

#include "calc/calculator.h"
#include "config/config.h"
#include "measure/channel_values.h"
#include "server/http.h"

namespace iw::views {

server::HttpResponse script_preview(const std::string& body, const config::Config& config,
                                    const calc::Calculator& calculator,
                                    const std::vector<measure::ChannelValues>& live);

}  // namespace iw::views
