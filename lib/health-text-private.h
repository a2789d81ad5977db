/* health-text-private.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Text from elsewhere (a remote monitor's labels and units, a process
 * name, an app's strings, a peer's alert message) goes through here
 * before it reaches a terminal, a notification, a tooltip or a log: one
 * place decides what is safe to show.
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *health_text_sanitize    (const char *text,
                               gssize      len) G_GNUC_WARN_UNUSED_RESULT;
char *health_text_escape_json (const char *json,
                               gssize      len) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
