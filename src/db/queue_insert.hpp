// db: inserting one queue message with its recipients (shared by enqueue and the DSN paths).
#pragma once

#include <pqxx/pqxx>

#include "smimegw/transport/queue_store.hpp"

namespace smimegw::db {

/// Inserts the message row and one row per recipient inside `tx`.
void insert_queue_message(pqxx::work& tx, const transport::NewMessage& msg);

}  // namespace smimegw::db
