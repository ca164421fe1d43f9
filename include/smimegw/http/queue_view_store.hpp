// http: storage interface of the admin API's queue listing (tables queue_messages and
// queue_recipients, read only): one page of messages, newest first, filtered in SQL. Declared
// here, implemented by db (src/db/queue_view_store.cpp); includes only core and std. The queue's
// own operations (show, retry, delete) stay with transport::QueueStore.
// Error codes: db_unavailable (transient), db_error.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "smimegw/core/result.hpp"

namespace smimegw::http {

struct QueueRecipientView {
  std::string address;
  std::string route;  ///< local | relay
  std::string state;  ///< pending | delivered | failed
  int attempts = 0;
  std::chrono::system_clock::time_point next_attempt_at;
  std::string last_reply;
};

struct QueueItemView {
  std::string queue_id;
  std::string source;
  std::string mail_from;
  std::chrono::system_clock::time_point received_at;
  std::int64_t size_bytes = 0;
  std::vector<QueueRecipientView> recipients;
};

struct QueueQuery {
  std::string state;   ///< "" | pending | delivered | failed: a recipient in that state
  std::string sender;  ///< "" | exact envelope sender
  int limit = 100;
  int offset = 0;
};

class QueueViewStore {
 public:
  virtual ~QueueViewStore() = default;
  /// Messages matching `q`, newest first, with their recipients.
  virtual boost::asio::awaitable<core::Result<std::vector<QueueItemView>>> list(QueueQuery q) = 0;
};

}  // namespace smimegw::http
