// Shared fixture: a migrated scratch database, the PostgreSQL mailbox store, a settable clock and
// the mailbox service; helpers to deliver messages the way the transport does and to run a whole
// delta round.
#pragma once

#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <catch2/catch.hpp>
#include <map>
#include <optional>
#include <set>
#include <thread>

#include "run_sync.hpp"
#include "smimegw/db/migrations.hpp"
#include "smimegw/db/pg_mailbox_store.hpp"
#include "smimegw/mailbox/ids.hpp"
#include "smimegw/mailbox/service.hpp"
#include "test_env.hpp"

namespace mbtest {

using namespace smimegw;
using mailbox::Folder;

using smimegw::test::run;

inline std::vector<std::uint8_t> test_key(std::uint8_t fill = 7) {
  return mailbox::derive_token_key(std::vector<std::uint8_t>(32, fill));
}

inline std::string simple_message(const std::string& subject,
                                  const std::string& to = "alice@contoso.test") {
  return "From: Bob <bob@example.org>\r\nTo: " + to + "\r\nSubject: " + subject +
         "\r\nDate: Mon, 23 Nov 2026 06:00:00 +0000\r\nMessage-ID: <" + subject +
         "@example.org>\r\n\r\nHello " + subject + "\r\n";
}

struct Fixture {
  test::ScratchDatabase scratch;
  db::Pool pool{{.url = scratch.url()}, 2};
  db::PgMailboxStore store{pool};
  core::ManualClock clock{std::chrono::system_clock::now()};
  mailbox::ServiceOptions options{.default_page_size = 10, .max_page_size = 50};
  mailbox::Service service{store, mailbox::TokenCodec(test_key()), clock, options};

  Fixture() {
    auto conn = db::connect({.url = scratch.url()});
    REQUIRE(conn.ok());
    REQUIRE(db::migrate(**conn).ok());
  }

  /// Inserts like the transport's local delivery does (no folder column: the default applies).
  std::int64_t deliver(const std::string& box, const std::string& body) {
    auto r = pool.transact_blocking([&](pqxx::work& tx) {
      pqxx::binarystring b(body.data(), body.size());
      return tx
          .exec_params1(
              "INSERT INTO mailbox_messages (mailbox, queue_id, message_id, size_bytes, body) "
              "VALUES ($1, 'Q', '', $2, $3) RETURNING id",
              box, static_cast<std::int64_t>(body.size()), b)[0]
          .as<std::int64_t>();
    });
    REQUIRE(r.ok());
    return *r;
  }

  std::string sql1(const std::string& q) {
    auto r =
        pool.transact_blocking([&](pqxx::work& tx) { return tx.exec1(q)[0].as<std::string>(); });
    REQUIRE(r.ok());
    return *r;
  }

  mailbox::DeltaPage delta(const std::string& box, std::optional<std::string> token,
                           std::optional<int> size = std::nullopt, Folder f = Folder::Inbox) {
    auto r = run(service.delta(box, f, std::move(token), size));
    if (!r.ok()) FAIL("delta failed: " << r.error().code << ": " << r.error().message);
    return std::move(*r);
  }
};

/// A client's view of one folder: applies delta pages as a Graph client would.
struct ClientReplica {
  std::map<std::string, std::string> messages;  ///< id → subject
  std::string delta_token;                      ///< "" before the first round
  int pages = 0;

  /// Runs one whole round (following next tokens); fails on an id added (or removed) twice in it.
  /// `between` runs after every page except the last (deliveries between pages).
  template <class F>
  void sync(Fixture& fx, const std::string& box, int page_size, F between) {
    std::set<std::string> added, removed;
    std::optional<std::string> token;
    if (!delta_token.empty()) token = delta_token;
    for (;;) {
      auto page = fx.delta(box, token, page_size);
      ++pages;
      REQUIRE(page.changes.size() <= static_cast<std::size_t>(page_size));
      for (const auto& c : page.changes) {
        INFO("id " << c.summary.id);
        // an id is added at most once and removed at most once per round (added on one page and
        // removed between pages, it is legitimately reported @removed later in the round)
        CHECK((c.removed ? removed : added).insert(c.summary.id).second);
        if (c.removed)
          messages.erase(c.summary.id);
        else
          messages[c.summary.id] = c.summary.subject;
      }
      if (!page.more) {
        delta_token = page.token;
        return;
      }
      token = page.token;
      between();
    }
  }
  void sync(Fixture& fx, const std::string& box, int page_size) {
    sync(fx, box, page_size, [] {});
  }
};

/// What the server holds: id → subject of every live message in the mailbox's inbox.
inline std::map<std::string, std::string> server_view(Fixture& fx, const std::string& box) {
  auto r = fx.pool.transact_blocking([&](pqxx::work& tx) {
    std::map<std::string, std::string> out;
    for (const auto& row : tx.exec_params(
             "SELECT id, convert_from(body, 'UTF8') FROM mailbox_messages WHERE mailbox = $1 AND "
             "folder = 'inbox' AND removed_at IS NULL",
             box)) {
      const auto body = row[1].as<std::string>();
      const auto s = body.find("Subject: ") + 9;
      out[mailbox::message_id_string(row[0].as<std::int64_t>())] =
          body.substr(s, body.find("\r\n", s) - s);
    }
    return out;
  });
  REQUIRE(r.ok());
  return *r;
}

}  // namespace mbtest
