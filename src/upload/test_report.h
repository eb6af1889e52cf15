// What POST /upload/test tells about a server: enough for the user to fix the uploader's
// settings, never the server's own words. The test is admin-only, but a page on any site a
// LAN browser visits could still try to use the daemon to look around the LAN (issue 12,
// finding 12), so:
//   - connection refused, timed out, or answered with something that is not HTTP: one
//     message ("no HTTP answer"), so the test does not tell open ports from closed ones;
//   - an HTTP answer: its status code and a hint of our own for that code; the body, which
//     could be any page on the LAN, is never echoed.
// The transport's whole reason goes to the daemon's message log (admin-only) instead.
#pragma once

#include <string>

#include "upload/curl_transport.h"

namespace iw::upload {

// `host`: "host:port" of the server. E.g. "192.0.2.5:8086: no HTTP answer ...".
std::string transport_failure_report(const std::string& host, TransportFailure failure);

// An answer the protocol could not use. E.g. "HTTP 401 from 192.0.2.5:8086: check the user
// name and password, token or API key". `type`: the uploader type, for a 200 that is not
// what such a server answers.
std::string http_answer_report(const std::string& host, int status, const std::string& type);

}  // namespace iw::upload
