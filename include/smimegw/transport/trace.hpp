// transport: the message trace (see trace_store.hpp).
#pragma once

#include "smimegw/transport/trace_store.hpp"
