// Mailbox benchmark (issue 8): Graph-style delta sync of a 10,000-message mailbox in pages of 100
// through mailbox::Service and the PostgreSQL store, as the sync API will run it (one event-loop
// thread, a pool of 2 database threads). Prints a table; exits 1 when the full sync takes 2 s or
// more. Usage: mailbox_bench CONNINFO [MESSAGES] [PAGE]
#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdio>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "smimegw/core/run_sync.hpp"
#include "smimegw/db/migrations.hpp"
#include "smimegw/db/pg_mailbox_store.hpp"
#include "smimegw/mailbox/ids.hpp"
#include "smimegw/mailbox/service.hpp"
#include "smimegw/mime/transfer_encoding.hpp"

using namespace smimegw;
using Clock = std::chrono::steady_clock;

namespace {

double ms(Clock::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

/// A realistic message: encoded-word subject, two recipients, text+html alternative (~3 KiB);
/// every tenth one also carries a 24 KiB PDF attachment.
std::string message(int i) {
  std::string text;
  for (int l = 0; l < 25; ++l)
    text += "Line " + std::to_string(l) + " of message " + std::to_string(i) +
            ", mit Umlauten: =C3=A4=C3=B6=C3=BC.\r\n";
  std::string m =
      "From: =?UTF-8?B?SsO2cmcgTcO8bGxlcg==?= <joerg@example.de>\r\n"
      "To: Bench <bench@contoso.test>, Other <other@contoso.test>\r\n"
      "Cc: cc@contoso.test\r\n"
      "Subject: =?UTF-8?Q?Nachricht_Nr=2E_" +
      std::to_string(i) +
      "_=C3=BCber_alles?=\r\n"
      "Date: Mon, 23 Nov 2026 06:00:00 +0000\r\n"
      "Message-ID: <bench-" +
      std::to_string(i) +
      "@example.de>\r\n"
      "MIME-Version: 1.0\r\n"
      "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n"
      "--b1\r\nContent-Type: multipart/alternative; boundary=\"b2\"\r\n\r\n"
      "--b2\r\nContent-Type: text/plain; charset=utf-8\r\n"
      "Content-Transfer-Encoding: quoted-printable\r\n\r\n" +
      text +
      "--b2\r\nContent-Type: text/html; charset=utf-8\r\n"
      "Content-Transfer-Encoding: quoted-printable\r\n\r\n<html><body><p>" +
      text + "</p></body></html>\r\n--b2--\r\n";
  if (i % 10 == 0)
    m += "--b1\r\nContent-Type: application/pdf; name=\"report.pdf\"\r\n"
         "Content-Disposition: attachment; filename=\"report.pdf\"\r\n"
         "Content-Transfer-Encoding: base64\r\n\r\n" +
         mime::encode_base64(std::string(24 * 1024, 'P'));
  return m + "--b1--\r\n";
}

void fill(db::Pool& pool, const std::string& box, int from, int count) {
  constexpr int kBatch = 500;
  for (int start = from; start < from + count; start += kBatch) {
    auto r = pool.transact_blocking([&](pqxx::work& tx) {
      for (int i = start; i < std::min(from + count, start + kBatch); ++i) {
        const auto body = message(i);
        pqxx::binarystring b(body.data(), body.size());
        tx.exec_params(
            "INSERT INTO mailbox_messages (mailbox, queue_id, size_bytes, body) VALUES ($1, 'Q', "
            "$2, $3)",
            box, static_cast<std::int64_t>(body.size()), b);
      }
    });
    if (!r) throw std::runtime_error(r.error().message);
  }
}

struct Round {
  int pages = 0;
  std::size_t changes = 0;
  std::vector<double> page_ms;
  double total_ms = 0;
  std::string token;
};

Round sync(boost::asio::io_context& io, mailbox::Service& svc, const std::string& box,
           std::optional<std::string> token, int page) {
  Round r;
  const auto t0 = Clock::now();
  for (;;) {
    const auto p0 = Clock::now();
    auto res = core::run_sync(io, svc.delta(box, mailbox::Folder::Inbox, token, page));
    if (!res) throw std::runtime_error(res.error().code + ": " + res.error().message);
    r.page_ms.push_back(ms(Clock::now() - p0));
    ++r.pages;
    r.changes += res->changes.size();
    token = res->token;
    if (!res->more) break;
  }
  r.total_ms = ms(Clock::now() - t0);
  r.token = *token;
  std::sort(r.page_ms.begin(), r.page_ms.end());
  return r;
}

double pct(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  return sorted[std::min(sorted.size() - 1, static_cast<std::size_t>(p * sorted.size()))];
}
}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: mailbox_bench CONNINFO [MESSAGES] [PAGE]\n");
    return 2;
  }
  const std::string url = argv[1];
  const int n = argc > 2 ? std::stoi(argv[2]) : 10000;
  const int page = argc > 3 ? std::stoi(argv[3]) : 100;
  {
    auto conn = db::connect({.url = url});
    if (!conn || !db::migrate(**conn)) {
      std::fprintf(stderr, "cannot migrate %s\n", url.c_str());
      return 1;
    }
  }
  db::Pool pool({.url = url}, 2);
  db::PgMailboxStore store(pool);
  core::SystemClock clock;
  mailbox::Service svc(
      store, mailbox::TokenCodec(mailbox::derive_token_key(std::vector<std::uint8_t>(32, 1))),
      clock, {.default_page_size = 10, .max_page_size = 1000});
  boost::asio::io_context io;
  const std::string box = "bench@contoso.test";

  const auto f0 = Clock::now();
  fill(pool, box, 0, n);
  const double fill_ms = ms(Clock::now() - f0);
  fill(pool, "other@contoso.test", 0, n / 2);  // a neighbour mailbox in the same tables
  (void)pool.transact_blocking([](pqxx::work& tx) {
    tx.exec0("ANALYZE mailbox_messages");
    tx.exec0("ANALYZE mailbox_changes");
  });

  auto cold = sync(io, svc, box, std::nullopt, page);
  auto warm = sync(io, svc, box, std::nullopt, page);
  // incremental: 100 new deliveries and 50 removals
  fill(pool, box, n, 100);
  (void)pool.transact_blocking([&](pqxx::work& tx) {
    tx.exec_params(
        "UPDATE mailbox_messages SET removed_at = now() WHERE id IN (SELECT id FROM "
        "mailbox_messages WHERE mailbox = $1 ORDER BY id LIMIT 50)",
        box);
  });
  auto inc = sync(io, svc, box, warm.token, page);
  auto idle = sync(io, svc, box, inc.token, page);

  // GET of single messages (summary + body), random ids
  std::vector<std::int64_t> ids;
  (void)pool.transact_blocking([&](pqxx::work& tx) {
    for (const auto& r : tx.exec_params(
             "SELECT id FROM mailbox_messages WHERE mailbox = $1 AND removed_at IS NULL", box))
      ids.push_back(r[0].as<std::int64_t>());
  });
  std::mt19937 rng(42);
  std::vector<double> get_ms;
  for (int i = 0; i < 1000; ++i) {
    const auto id = mailbox::message_id_string(ids[rng() % ids.size()]);
    const auto g0 = Clock::now();
    auto v = core::run_sync(io, svc.get(box, id, mailbox::BodyPreference::Html));
    get_ms.push_back(ms(Clock::now() - g0));
    if (!v) throw std::runtime_error(v.error().code);
  }
  std::sort(get_ms.begin(), get_ms.end());

  std::printf("| step | messages | pages | total ms | page p50 ms | page p99 ms | msgs/s |\n");
  std::printf("|---|---|---|---|---|---|---|\n");
  std::printf(
      "| fill (INSERT with feed trigger, batches of 500) | %d | - | %.0f | - | - | %.0f |\n", n,
      fill_ms, n / (fill_ms / 1000));
  auto row = [](const char* name, const Round& r) {
    std::printf("| %s | %zu | %d | %.0f | %.2f | %.2f | %.0f |\n", name, r.changes, r.pages,
                r.total_ms, pct(r.page_ms, 0.5), pct(r.page_ms, 0.99),
                r.changes / (r.total_ms / 1000));
  };
  row("initial delta sync (first run)", cold);
  row("initial delta sync (again)", warm);
  row("incremental: 100 new + 50 removed", inc);
  row("incremental: nothing new", idle);
  std::printf(
      "| GET message (summary + body), 1000 random | 1000 | - | %.0f | %.2f | %.2f | - |\n",
      [&] {
        double s = 0;
        for (double v : get_ms) s += v;
        return s;
      }(),
      pct(get_ms, 0.5), pct(get_ms, 0.99));
  const bool ok =
      cold.total_ms < 2000 && warm.total_ms < 2000 && cold.changes == static_cast<std::size_t>(n);
  std::printf("\ntarget: delta sync of %d messages in pages of %d < 2 s: %s\n", n, page,
              ok ? "met" : "MISSED");
  return ok ? 0 : 1;
}
