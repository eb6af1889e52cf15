#include "upload/pvoutput_server.h"

#include <fmt/format.h>

#include <thread>

namespace iw::upload::testing {
namespace {

constexpr int64_t kHour = 3600;

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  for (size_t end; (end = s.find(sep, start)) != std::string::npos; start = end + 1)
    out.push_back(s.substr(start, end - start));
  out.push_back(s.substr(start));
  return out;
}

std::string yyyymmdd(const cctz::civil_day& d) { return fmt::format("{:04}{:02}{:02}", d.year(), d.month(), d.day()); }

bool all_digits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

PvoutputTestServer::PvoutputTestServer(std::string apikey, std::string systemid,
                                       std::shared_ptr<const query::TimeZone> zone, int status_interval_minutes,
                                       bool donation)
    : apikey_(std::move(apikey)),
      systemid_(std::move(systemid)),
      zone_(std::move(zone)),
      interval_minutes_(status_interval_minutes),
      donation_(donation) {
  const std::pair<const char*, Answer (PvoutputTestServer::*)(const httplib::Request&)> services[] = {
      {"/service/r2/getsystem.jsp", &PvoutputTestServer::get_system},
      {"/service/r2/getstatus.jsp", &PvoutputTestServer::get_status},
      {"/service/r2/addbatchstatus.jsp", &PvoutputTestServer::add_batch_status},
  };
  for (const auto& [path, service] : services) {
    http_.http().Post(path,
                      [this, s = service](const httplib::Request& req, httplib::Response& res) { serve(req, res, s); });
  }
  http_.start();
}

void PvoutputTestServer::set_now(int64_t now) {
  std::lock_guard lock(mutex_);
  now_ = now;
}

void PvoutputTestServer::fail_next(PvoutputFailure failure, int count) {
  std::lock_guard lock(mutex_);
  failures_.insert(failures_.end(), static_cast<size_t>(count), failure);
}

std::map<std::string, PvoutputStatus> PvoutputTestServer::statuses() const {
  std::lock_guard lock(mutex_);
  return stored_;
}

int PvoutputTestServer::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

int PvoutputTestServer::refused_for_rate() const {
  std::lock_guard lock(mutex_);
  return refused_for_rate_;
}

void PvoutputTestServer::serve(const httplib::Request& req, httplib::Response& res,
                               Answer (PvoutputTestServer::*service)(const httplib::Request&)) {
  std::optional<Answer> a = refusal(req, res);
  if (!a) a = (this->*service)(req);  // only requests that passed auth and the rate limit
  res.status = a->status;
  res.set_content(a->body, "text/plain");
}

// Auth, rate limit and the failures asked for; sets the rate-limit headers.
std::optional<PvoutputTestServer::Answer> PvoutputTestServer::refusal(const httplib::Request& req,
                                                                      httplib::Response& res) {
  std::optional<PvoutputFailure> failure;
  {
    std::lock_guard lock(mutex_);
    ++requests_;
    if (!failures_.empty()) {
      failure = failures_.front();
      failures_.erase(failures_.begin());
    }
  }
  if (failure == PvoutputFailure::kSlow) std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  if (failure == PvoutputFailure::kServerError) return Answer{500, "Internal Server Error"};
  if (failure == PvoutputFailure::kGarbage)
    return Answer{200, "<html><body>Service Temporarily Unavailable</body></html>"};
  if (failure == PvoutputFailure::kUnauthorized || req.get_header_value("X-Pvoutput-Apikey") != apikey_) {
    return Answer{401, "Unauthorized 401: Invalid API Key"};
  }
  if (req.get_header_value("X-Pvoutput-SystemId") != systemid_)
    return Answer{401, "Unauthorized 401: Invalid System ID"};
  if (failure == PvoutputFailure::kLoadInProgress) return Answer{400, "Bad request 400: Load in progress"};

  std::lock_guard lock(mutex_);
  while (!window_.empty() && window_.front() <= now_ - kHour) window_.pop_front();
  const size_t limit = donation_ ? 300 : 60;
  const bool exceeded = failure == PvoutputFailure::kRateLimited || window_.size() >= limit;
  if (!exceeded) window_.push_back(now_);
  if (req.get_header_value("X-Rate-Limit") == "1") {
    res.set_header("X-Rate-Limit-Limit", std::to_string(limit));
    res.set_header("X-Rate-Limit-Remaining", std::to_string(limit - std::min(limit, window_.size())));
    res.set_header("X-Rate-Limit-Reset", std::to_string((window_.empty() ? now_ : window_.front()) + kHour));
  }
  if (exceeded) {
    ++refused_for_rate_;
    return Answer{403, "Forbidden 403: Exceeded number requests per hour"};
  }
  return std::nullopt;
}

PvoutputTestServer::Answer PvoutputTestServer::get_system(const httplib::Request&) {
  return {200, fmt::format("Test System,3000,2000,10,300,Brand,1,3000,Inverter,N,20.0,No,20200101,52.5,13.4,{};;{}",
                           interval_minutes_, donation_ ? 1 : 0)};
}

PvoutputTestServer::Answer PvoutputTestServer::get_status(const httplib::Request&) {
  std::lock_guard lock(mutex_);
  if (stored_.empty()) return {400, "Bad request 400: No status found"};
  const PvoutputStatus& s = stored_.rbegin()->second;
  std::string out = s.date + "," + s.time;
  for (size_t i = 0; i < 6; ++i) out += "," + (i < s.values.size() && !s.values[i].empty() ? s.values[i] : "NaN");
  return {200, out + ",0.000"};
}

std::optional<std::string> PvoutputTestServer::check_status(const PvoutputStatus& s) const {
  const cctz::civil_day today(zone_->to_local(now_));
  const int lookback = donation_ ? 90 : 14;
  if (s.date.size() != 8 || !all_digits(s.date) || s.time.size() != 5 || s.time[2] != ':') {
    return fmt::format("Bad request 400: Invalid date or time [{},{}]", s.date, s.time);  // ours
  }
  if (s.date < yyyymmdd(today - lookback))
    return fmt::format("Bad request 400: Date is older than {} days [{}]", lookback, s.date);
  if (s.date > yyyymmdd(today)) return fmt::format("Bad request 400: Date is in the future [{}]", s.date);
  if (std::stoi(s.time.substr(3)) % interval_minutes_ != 0) {
    return fmt::format("Bad request 400: Time is not on the status interval [{}]", s.time);  // ours
  }
  if (s.values.size() > 12) return fmt::format("Bad request 400: Too many values [{}]", s.values.size());  // ours
  if (!donation_ && s.values.size() > 6) return "Forbidden 403: Extended data requires donation mode";     // ours
  bool any = false;
  for (size_t i = 0; i < 4 && i < s.values.size(); ++i) any = any || !s.values[i].empty();
  if (!any) return fmt::format("Bad request 400: No energy or power value [{},{}]", s.date, s.time);  // ours
  return std::nullopt;
}

PvoutputTestServer::Answer PvoutputTestServer::add_batch_status(const httplib::Request& req) {
  if (req.body.rfind("data=", 0) != 0) return {400, "Bad request 400: Missing data"};
  const std::vector<std::string> entries = split(url_decode(req.body.substr(5)), ';');
  if (entries.size() > (donation_ ? 100u : 30u)) {
    return {400, fmt::format("Bad request 400: Batch of {} statuses is too long", entries.size())};  // ours
  }
  std::vector<PvoutputStatus> batch;
  std::lock_guard lock(mutex_);
  for (const std::string& e : entries) {
    std::vector<std::string> items = split(e, ',');
    if (items.size() < 3) return {400, fmt::format("Bad request 400: Invalid status [{}]", e)};
    PvoutputStatus s{items[0], items[1], std::vector<std::string>(items.begin() + 2, items.end())};
    if (auto problem = check_status(s)) return {problem->starts_with("Forbidden") ? 403 : 400, *problem};
    batch.push_back(std::move(s));
  }
  std::string answer;
  for (PvoutputStatus& s : batch) {
    answer += (answer.empty() ? "" : ";") + s.date + "," + s.time + ",1";
    stored_[s.date + " " + s.time] = std::move(s);
  }
  return {200, answer};
}

}  // namespace iw::upload::testing
