// The request-target and form bodies as the API sees them (RFC 9112 section 3.2): origin-form
// "/path?query" split into a percent-decoded path and decoded arguments. absolute-form
// ("http://host/path?q") is reduced to its origin-form; asterisk-form ("*") is kept as path
// "*". Pure functions: no allocation beyond the results, nothing thrown, any input accepted.
#pragma once

#include <string>
#include <string_view>

#include "server/http.h"

namespace iw::server {

// Splits `target` into the decoded path and the decoded query arguments, in order. An
// argument without '=' has an empty value ("?restart" -> {"restart", ""}).
void split_target(std::string_view target, std::string* path, Params* params);

// Appends the arguments of an application/x-www-form-urlencoded body.
void append_form_params(std::string_view body, Params* params);

}  // namespace iw::server
