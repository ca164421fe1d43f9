// Delta sync against the real PostgreSQL store: first sync, paging, incremental rounds, removals,
// and deliveries between pages (nothing lost, nothing duplicated).
#include <algorithm>
#include <filesystem>

#include "mailbox_fixture.hpp"

using namespace mbtest;

TEST_CASE("delta first sync returns every inbox message in delivery order, then a delta token") {
  Fixture fx;
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 5; ++i)
    ids.push_back(fx.deliver("alice@contoso.test", simple_message("m" + std::to_string(i))));
  auto page = fx.delta("alice@contoso.test", std::nullopt);
  REQUIRE(page.changes.size() == 5);
  CHECK_FALSE(page.more);
  CHECK_FALSE(page.token.empty());
  for (int i = 0; i < 5; ++i) {
    CHECK_FALSE(page.changes[i].removed);
    CHECK(page.changes[i].summary.id == mailbox::message_id_string(ids[i]));
    CHECK(page.changes[i].summary.subject == "m" + std::to_string(i));
    CHECK(page.changes[i].summary.folder == "inbox");
  }
  // nothing new: the delta token gives an empty page and a delta token again
  auto again = fx.delta("alice@contoso.test", page.token);
  CHECK(again.changes.empty());
  CHECK_FALSE(again.more);
}

TEST_CASE(
    "delta pages follow next tokens, and the page size defaults, is capped and is at least 1") {
  Fixture fx;
  for (int i = 0; i < 120; ++i)
    fx.deliver("alice@contoso.test", simple_message("p" + std::to_string(i)));
  auto first = fx.delta("alice@contoso.test", std::nullopt);  // default 10
  CHECK(first.changes.size() == 10);
  CHECK(first.more);
  auto capped = fx.delta("alice@contoso.test", std::nullopt, 1000);  // max 50
  CHECK(capped.changes.size() == 50);
  auto tiny = fx.delta("alice@contoso.test", std::nullopt, 0);
  CHECK(tiny.changes.size() == 1);

  ClientReplica client;
  client.sync(fx, "alice@contoso.test", 25);
  CHECK(client.pages == 5);  // 25+25+25+25+20
  CHECK(client.messages == server_view(fx, "alice@contoso.test"));
  CHECK(client.messages.size() == 120);
}

TEST_CASE("an exact multiple of the page size ends with one more page that is empty or final") {
  Fixture fx;
  for (int i = 0; i < 20; ++i)
    fx.deliver("alice@contoso.test", simple_message("e" + std::to_string(i)));
  auto p1 = fx.delta("alice@contoso.test", std::nullopt, 10);
  CHECK(p1.more);
  auto p2 = fx.delta("alice@contoso.test", p1.token, 10);
  CHECK(p2.changes.size() == 10);
  CHECK_FALSE(p2.more);  // the store was asked for one more row than the page holds
}

TEST_CASE("incremental delta reports new deliveries and removals, and only those") {
  Fixture fx;
  const std::string box = "alice@contoso.test";
  std::vector<std::string> ids;
  for (int i = 0; i < 8; ++i)
    ids.push_back(
        mailbox::message_id_string(fx.deliver(box, simple_message("i" + std::to_string(i)))));
  ClientReplica client;
  client.sync(fx, box, 5);
  REQUIRE(client.messages.size() == 8);

  REQUIRE(run(fx.service.remove(box, ids[2])).ok());
  REQUIRE(run(fx.service.remove(box, ids[6])).ok());
  const auto n1 = mailbox::message_id_string(fx.deliver(box, simple_message("new1")));
  const auto n2 = mailbox::message_id_string(fx.deliver(box, simple_message("new2")));

  auto page = fx.delta(box, client.delta_token, 50);
  CHECK_FALSE(page.more);
  std::set<std::string> removed, added;
  for (const auto& c : page.changes) (c.removed ? removed : added).insert(c.summary.id);
  CHECK(removed == std::set<std::string>{ids[2], ids[6]});
  CHECK(added == std::set<std::string>{n1, n2});

  // removing twice is not_found the second time; a removed message cannot be read
  auto again = run(fx.service.remove(box, ids[2]));
  REQUIRE_FALSE(again.ok());
  CHECK(again.error().code == "not_found");
  auto gone = run(fx.service.get(box, ids[2], mailbox::BodyPreference::Html));
  REQUIRE_FALSE(gone.ok());
  CHECK(gone.error().code == "not_found");
}

TEST_CASE("a message delivered and removed between two rounds is not reported at all") {
  Fixture fx;
  const std::string box = "alice@contoso.test";
  fx.deliver(box, simple_message("keep"));
  ClientReplica client;
  client.sync(fx, box, 10);
  const auto brief = mailbox::message_id_string(fx.deliver(box, simple_message("brief")));
  REQUIRE(run(fx.service.remove(box, brief)).ok());
  auto page = fx.delta(box, client.delta_token, 10);
  CHECK(page.changes.empty());
  // ... and a first sync never shows tombstones
  auto initial = fx.delta(box, std::nullopt, 10);
  REQUIRE(initial.changes.size() == 1);
  CHECK_FALSE(initial.changes[0].removed);
}

TEST_CASE("deliveries and removals between pages: no message lost or duplicated") {
  Fixture fx;
  const std::string box = "alice@contoso.test";
  std::vector<std::string> ids;
  for (int i = 0; i < 30; ++i)
    ids.push_back(
        mailbox::message_id_string(fx.deliver(box, simple_message("b" + std::to_string(i)))));
  ClientReplica client;
  int step = 0;
  client.sync(fx, box, 7, [&] {
    // between pages: two new deliveries, one removal of an already sent message and one of a
    // not yet sent one
    fx.deliver(box, simple_message("between" + std::to_string(step) + "a"));
    fx.deliver(box, simple_message("between" + std::to_string(step) + "b"));
    REQUIRE(run(fx.service.remove(box, ids[static_cast<std::size_t>(step)])).ok());
    REQUIRE(run(fx.service.remove(box, ids[static_cast<std::size_t>(29 - step)])).ok());
    ++step;
  });
  CHECK(step > 3);
  // the round ended with everything committed before its last page
  CHECK(client.messages == server_view(fx, box));
  // more changes, another round: still equal
  fx.deliver(box, simple_message("after"));
  REQUIRE(run(fx.service.remove(box, ids[15])).ok());
  client.sync(fx, box, 7);
  CHECK(client.messages == server_view(fx, box));
}

TEST_CASE("concurrent deliveries from other connections while a client pages: nothing lost") {
  Fixture fx;
  const std::string box = "alice@contoso.test";
  std::atomic<bool> stop{false};
  std::atomic<int> delivered{0};
  auto writer = [&](int w) {
    pqxx::connection c(fx.scratch.url());
    for (int i = 0; !stop && i < 400; ++i) {
      pqxx::work tx(c);
      const std::string body = simple_message("w" + std::to_string(w) + "-" + std::to_string(i));
      pqxx::binarystring b(body.data(), body.size());
      tx.exec_params(
          "INSERT INTO mailbox_messages (mailbox, queue_id, size_bytes, body) VALUES ($1, 'Q', $2, "
          "$3)",
          box, static_cast<std::int64_t>(body.size()), b);
      if (i % 5 == 0) tx.exec("SELECT pg_sleep(0.002)");  // hold the commit back a little
      tx.commit();
      ++delivered;
    }
  };
  std::thread w1(writer, 1), w2(writer, 2), w3(writer, 3);
  ClientReplica client;
  for (int round = 0; round < 6; ++round) client.sync(fx, box, 9);
  stop = true;
  w1.join();
  w2.join();
  w3.join();
  client.sync(fx, box, 9);  // a round after the last commit sees everything
  CHECK(delivered > 0);
  CHECK(client.messages.size() == static_cast<std::size_t>(delivered.load()));
  CHECK(client.messages == server_view(fx, box));
}

TEST_CASE("sent items is its own folder with its own feed") {
  Fixture fx;
  fx.deliver("alice@contoso.test", simple_message("inbox1"));
  auto sent = run(
      fx.store.append({"alice@contoso.test", "sentitems", "Q2", "<s@x>", simple_message("sent1")}));
  REQUIRE(sent.ok());
  auto inbox = fx.delta("alice@contoso.test", std::nullopt, 10, Folder::Inbox);
  auto items = fx.delta("alice@contoso.test", std::nullopt, 10, Folder::SentItems);
  REQUIRE(inbox.changes.size() == 1);
  REQUIRE(items.changes.size() == 1);
  CHECK(inbox.changes[0].summary.subject == "inbox1");
  CHECK(items.changes[0].summary.subject == "sent1");
  CHECK(items.changes[0].summary.folder == "sentitems");
  // a token of one folder is refused by the other
  auto cross = run(fx.service.delta("alice@contoso.test", Folder::SentItems, inbox.token, 10));
  REQUIRE_FALSE(cross.ok());
  CHECK(cross.error().code == "resync_required");
}

TEST_CASE("an update that clients cannot see does not bump the feed") {
  Fixture fx;
  const std::string box = "alice@contoso.test";
  fx.deliver(box, simple_message("one"));
  ClientReplica client;
  client.sync(fx, box, 10);
  fx.sql1(
      "WITH u AS (UPDATE mailbox_messages SET queue_recipient_id = NULL, queue_id = 'X' RETURNING "
      "1) SELECT count(*) FROM u");
  CHECK(fx.delta(box, client.delta_token, 10).changes.empty());
}

TEST_CASE("migration 0010 enters messages delivered before it into the feed in id order") {
  test::ScratchDatabase scratch;
  pqxx::connection c(scratch.url());
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(test::source_dir() / "migrations"))
    if (e.path().extension() == ".sql") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  auto apply = [&](const std::filesystem::path& f) {
    pqxx::work tx(c);
    tx.exec(test::read_file(f));
    tx.commit();
  };
  for (const auto& f : files)
    if (f.filename().string() < "0010") apply(f);
  {
    pqxx::work tx(c);
    for (int i = 0; i < 3; ++i)
      tx.exec0(
          "INSERT INTO mailbox_messages (mailbox, queue_id, size_bytes, body) VALUES "
          "('alice@contoso.test', 'Q', 1, 'x')");
    tx.commit();
  }
  for (const auto& f : files)
    if (f.filename().string().rfind("0010", 0) == 0) apply(f);
  pqxx::work tx(c);
  CHECK(tx.exec1("SELECT string_agg(message_id || ':' || seq || ':' || folder, ' ' ORDER BY seq) "
                 "FROM mailbox_changes")[0]
            .as<std::string>() == "1:1:inbox 2:2:inbox 3:3:inbox");
  tx.exec0(
      "INSERT INTO mailbox_messages (mailbox, queue_id, size_bytes, body) VALUES "
      "('alice@contoso.test', 'Q', 1, 'x')");
  CHECK(tx.exec1("SELECT max(seq) FROM mailbox_changes")[0].as<int>() == 4);
}
