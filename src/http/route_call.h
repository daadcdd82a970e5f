#pragma once
// Calling one route: the handler's Reply or Error becomes an HttpResponse,
// and this is the one exception boundary — a handler that throws is a bug,
// answered 500 with the reason while the worker goes on serving.

#include "http/http_response.h"
#include "http/route.h"

namespace pingan {

HttpResponse call_route(const Route& route, const RouteRequest& req);

}  // namespace pingan
