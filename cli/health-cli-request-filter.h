/* health-cli-request-filter.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define HEALTH_CLI_TYPE_REQUEST_FILTER (health_cli_request_filter_get_type ())

G_DECLARE_FINAL_TYPE (HealthCliRequestFilter, health_cli_request_filter,
                      HEALTH_CLI, REQUEST_FILTER, GFilterInputStream)

/* Larger request bodies (nothing here wants one) are refused unread. */
#define HEALTH_CLI_MAX_REQUEST_BODY (64 * 1024)

GIOStream *health_cli_request_filter_wrap (GSocketConnection *connection);

G_END_DECLS
