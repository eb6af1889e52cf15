// One HTTP/1.x exchange over a raw socket, for requests whose every header the test chooses
// (Host, Origin, Sec-Fetch-Site: what a browser sends and curl does not), and the parts of the
// answer.
#pragma once

#include <strings.h>

#include <string>
#include <vector>

#include "security/security_testing.h"

namespace iw::testing {

struct RawAnswer {
  int status = 0;
  std::string head;  // status line and headers
  std::string body;  // as sent (chunked framing not removed)

  // The first header called `name` (case-insensitive), or "".
  std::string header(const std::string& name) const {
    size_t line = head.find("\r\n");
    while (line != std::string::npos && line + 2 < head.size()) {
      const size_t end = head.find("\r\n", line + 2);
      const std::string text = head.substr(line + 2, end - line - 2);
      const size_t colon = text.find(':');
      if (colon == name.size() && strncasecmp(text.c_str(), name.c_str(), colon) == 0) {
        return text.substr(text.find_first_not_of(' ', colon + 1));
      }
      line = end;
    }
    return {};
  }
};

// Sends `method target` with exactly `headers` (plus Connection: close and Content-Length for
// a body) as HTTP/1.1, or HTTP/1.0 when `http10`, and reads the answer.
inline RawAnswer exchange(int port, const std::string& method, const std::string& target,
                          const std::vector<std::string>& headers, const std::string& body = "", bool http10 = false) {
  std::string request = method + " " + target + (http10 ? " HTTP/1.0\r\n" : " HTTP/1.1\r\n");
  for (const std::string& h : headers) request += h + "\r\n";
  if (!body.empty() || method == "POST") request += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  request += "Connection: close\r\n\r\n" + body;
  RawConnection c(port);
  RawAnswer a;
  if (!c.connected() || !c.send(request)) return a;
  const std::string answer = c.receive();
  a.status = status_of(answer);
  const size_t split = answer.find("\r\n\r\n");
  a.head = answer.substr(0, split);
  if (split != std::string::npos) a.body = answer.substr(split + 4);
  return a;
}

// "Host: 127.0.0.1:<port>", as a browser on the monitor's address sends it.
inline std::string host_header(int port) { return "Host: 127.0.0.1:" + std::to_string(port); }

}  // namespace iw::testing
