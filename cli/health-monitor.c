/* health-monitor.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The `health-monitor` command: a headless front end to libhealth.
 */

#include "config.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>

#include "health-cli-private.h"

typedef struct
{
  const char *name;
  int       (*run) (int    argc,
                    char **argv);
} Command;

static const Command commands[] = {
  { "status", health_cli_status },
  { "watch", health_cli_watch },
  { "export", health_cli_export },
  { "serve", health_cli_serve },
  { "history", health_cli_history },
};

static const Command *
find_command (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (strcmp (commands[i].name, name) == 0)
      return &commands[i];

  return NULL;
}

static GOptionContext *
create_main_context (gboolean *version)
{
  GOptionContext *context;
  const GOptionEntry entries[] = {
    { "version", 0, 0, G_OPTION_ARG_NONE, version,
      N_("Print the version and exit"), NULL },
    G_OPTION_ENTRY_NULL
  };

  context = g_option_context_new (N_("COMMAND [OPTION…]"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);

  /* Options after the command belong to the command. */
  g_option_context_set_strict_posix (context, TRUE);

  g_option_context_set_summary (context,
                                N_("Commands:\n"
                                   "  status    Sample once and print the health of the system\n"
                                   "  watch     Show live values and sparklines until interrupted\n"
                                   "  export    Sample once and write the metrics for Prometheus\n"
                                   "  serve     Serve the metrics to Prometheus over HTTP\n"
                                   "  history   Print the values or alerts the journal recorded"));
  g_option_context_set_description (context,
                                    N_("Run “health-monitor COMMAND --help” for the options and "
                                       "the exit status of a command.\n\n"
                                       "Exit status of status and watch: 0 when healthy, 1 when the "
                                       "overall status is critical or worse, 2 on usage errors, 3 "
                                       "when it is unknown (nothing about the machine could be "
                                       "read)."));

  return context;
}

static int
print_main_help (GOptionContext *context,
                 gboolean        to_stderr)
{
  g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);

  if (to_stderr)
    {
      g_printerr ("%s", help);
      return HEALTH_CLI_EXIT_USAGE;
    }

  g_print ("%s", help);
  return HEALTH_CLI_EXIT_OK;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  gboolean version = FALSE;
  const Command *command;

  health_cli_guard_standard_fds ();
  atexit (health_cli_check_stdout_at_exit);

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_set_prgname ("health-monitor");
  health_cli_install_log_writer ();
  health_cli_install_print_handlers ();

  context = create_main_context (&version);

  if (!g_option_context_parse (context, &argc, &argv, &error))
    return health_cli_usage_error (NULL, "%s", error->message);

  if (version)
    {
      g_print ("health-monitor %s\n", PACKAGE_VERSION);
      return HEALTH_CLI_EXIT_OK;
    }

  if (argc < 2)
    {
      g_printerr ("%s\n\n", _("health-monitor: Missing command"));
      return print_main_help (context, TRUE);
    }

  /* `health-monitor help [COMMAND]`, as git and gio accept it. */
  if (strcmp (argv[1], "help") == 0)
    {
      if (argc < 3)
        return print_main_help (context, FALSE);

      command = find_command (argv[2]);
      if (command == NULL)
        return health_cli_usage_error (NULL, _("Unknown command “%s”"), argv[2]);

      {
        char *help_argv[] = { argv[2], (char *) "--help", NULL };

        return command->run (2, help_argv);
      }
    }

  command = find_command (argv[1]);
  if (command == NULL)
    return health_cli_usage_error (NULL, _("Unknown command “%s”"), argv[1]);

  return command->run (argc - 1, argv + 1);
}
