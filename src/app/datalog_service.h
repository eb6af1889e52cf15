// The daemon's datalogs under <data dir>/datalog/, written by a thread of their own. What
// goes into which log and when retention runs is the recorder's (datalog/recorder.h); this
// service only carries checkpoints from the sampling thread to it.
//
// The sampling thread hands checkpoints over with offer(), which only queues them; the writer
// thread feeds them to the recorder, so a slow or full disk never delays sampling. When the
// queue is full a checkpoint is dropped and counted; the next one written still carries every
// watt-hour (records hold cumulative counters).
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "base/status.h"
#include "datalog/data_dir.h"
#include "datalog/log.h"
#include "datalog/recorder.h"
#include "datalog/stop_record.h"
#include "measure/engine.h"

namespace iw::app {

struct DatalogStatus : datalog::LogStatus {
  uint64_t dropped = 0;  // checkpoints the queue dropped (the same for every log)
};

class DatalogService {
 public:
  static Result<std::unique_ptr<DatalogService>> Open(const std::string& data_dir,
                                                      const datalog::RecorderSettings& settings,
                                                      const datalog::Layout& layout);
  ~DatalogService();
  DatalogService(const DatalogService&) = delete;
  DatalogService& operator=(const DatalogService&) = delete;

  // Where the counters continue from: the stop record of the last clean stop when it is newer
  // than every record (datalog/stop_record.h), else the newest record (current log, else
  // history).
  std::optional<datalog::Record> resume_point() const;
  // Whether resume_point() is the stop record.
  bool resumes_from_stop() const {
    return stop_record_ && datalog::later_than_newest(*stop_record_, recorder_.resume_point());
  }
  // Each channel's counters to continue from: the stop record's for the channels it holds when
  // it is the resume point, else datalog::Recorder::resume_counters.
  std::vector<measure::ChannelCounters> resume_counters(size_t channel_count) const;

  // Sampling thread. Queues the checkpoints the recorder makes a record of, with the records
  // of the side logs (set_side_logs() order) of the same time. Never waits for I/O.
  void offer(const measure::Checkpoint& checkpoint, std::vector<datalog::Record> side_records = {});

  void start();
  // Writes what is queued, syncs, and stops the writer thread. With `last` (the sampler's last
  // checkpoint, taken after it stopped), then writes the stop record the next start resumes
  // from; a failure is logged (the next start resumes from the newest record, as after a crash).
  void stop(const std::optional<measure::Checkpoint>& last = std::nullopt);
  // Waits until everything queued so far is written (after the sampler stopped, before a
  // new configuration takes over), then records with `layout` and applies `settings`'
  // retention from now on. The data directory cannot change.
  void reconfigure(const datalog::Layout& layout, const datalog::RecorderSettings& settings);
  // Waits as reconfigure() does, then writes `logs` next to the current log from now on
  // (their records come with offer()); the current log's retention applies to them.
  void set_side_logs(std::vector<datalog::SideLog> logs);

  std::vector<DatalogStatus> status() const;
  const datalog::Log& current() const { return recorder_.current(); }
  const datalog::Log& history() const { return recorder_.history(); }

 private:
  DatalogService(std::string datalog_dir, std::unique_ptr<datalog::Log> current, std::unique_ptr<datalog::Log> history,
                 const datalog::RecorderSettings& settings, std::optional<datalog::Record> stop_record)
      : datalog_dir_(std::move(datalog_dir)),
        recorder_(std::move(current), std::move(history), settings),
        stop_record_(std::move(stop_record)) {}
  struct Pending {
    datalog::Record record;
    std::vector<datalog::Record> side;
  };

  void run();
  void wait_idle(std::unique_lock<std::mutex>& lock);

  const std::string datalog_dir_;
  datalog::Recorder recorder_;  // written by the writer thread, or while it is idle under mu_
  // The last clean stop's record, read at Open (datalog/stop_record.h); never changes.
  const std::optional<datalog::Record> stop_record_;

  mutable std::mutex mu_;
  std::condition_variable wake_;
  std::deque<Pending> queue_;     // guarded by mu_
  bool stopping_ = false;         // guarded by mu_
  bool writing_ = false;          // guarded by mu_: a record is out of the queue, not yet written
  std::condition_variable idle_;  // queue empty and nothing being written
  std::thread writer_;
  std::atomic<uint64_t> dropped_{0};
};

}  // namespace iw::app
