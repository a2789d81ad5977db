/* The example of README.md, built and run by the tests. */
#include <locale.h>
#include <health.h>

static void
on_alert (HealthMonitor *monitor, HealthAlert *alert, gpointer user_data)
{
  g_print ("%s\n", health_alert_get_message (alert));
}

int
main (void)
{
  g_autoptr(HealthMonitor) monitor = NULL;
  g_autoptr(GMainLoop) loop = NULL;

  setlocale (LC_ALL, "");   /* translated messages, units as the user reads them */
  monitor = health_monitor_new ();
  loop = g_main_loop_new (NULL, FALSE);

  g_signal_connect (monitor, "alert", G_CALLBACK (on_alert), NULL);
  g_signal_connect_swapped (monitor, "sampled", G_CALLBACK (g_main_loop_quit), loop);
  health_monitor_start (monitor);
  g_main_loop_run (loop);

  g_print ("Overall: %s\n", health_status_to_string (health_monitor_get_status (monitor)));
  return 0;
}
