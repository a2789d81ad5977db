/* test-window-pages.c: the applet's window, page by page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The real window (the same code as health-applet-window, linked in)
 * against a real monitor that export-monitor.py exports on a private bus,
 * and a real journal that fill-journal writes: each page is drawn in
 * light and dark (PNGs in WINDOW_TEST_PNG_DIR), looked into through its
 * widget tree at 360 px (no label cut, sparklines in one column), and
 * driven as a person would (Retry, thresholds in GiB, the range
 * buttons). Runs under xvfb-run and dbus-run-session (see meson.build).
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <health-gtk.h>

#include "gtk-test-util.h"
#include "health-preferences-window.h"
#include "health-thresholds.h"
#include "health-window.h"
#include "health-window-util.h"

#define BUS_NAME    "io.github.healthmonitor.Applet"
#define OBJECT_PATH "/io/github/healthmonitor/Monitor"
#define GIB         1073741824.0
/* What a bus round trip, a fill-journal run or a first sample may take
 * on a loaded machine; waits end as soon as what they wait for happens. */
#define WAIT_SECONDS 30

typedef struct
{
  GSubprocess *exporter;
  GtkWidget   *window;
} Fixture;

/* Iterates the main context until @done says so. */
static void
wait_until (gboolean    (*done) (gpointer data),
            gpointer      data,
            const char   *what)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;

  while (!done (data))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Timed out waiting for %s", what);
      g_main_context_iteration (NULL, FALSE);
      if (!done (data))
        g_main_context_iteration (NULL, TRUE);
    }
}

static GtkWidget *
find_widget (GtkWidget *root,
             gboolean (*match) (GtkWidget *widget, gconstpointer data),
             gconstpointer data)
{
  if (match (root, data))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, match, data);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static void
collect_widgets (GtkWidget  *root,
                 GType       type,
                 GPtrArray  *found)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type) && gtk_widget_is_drawable (root))
    g_ptr_array_add (found, root);

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_widgets (child, type, found);
}

static gboolean
is_of_type (GtkWidget     *widget,
            gconstpointer  data)
{
  return G_TYPE_CHECK_INSTANCE_TYPE (widget, GPOINTER_TO_SIZE (data));
}

static gboolean
is_named (GtkWidget     *widget,
          gconstpointer  data)
{
  return g_strcmp0 (gtk_widget_get_name (widget), data) == 0;
}

static gboolean
is_drawable_label_with (GtkWidget     *widget,
                        gconstpointer  data)
{
  return GTK_IS_LABEL (widget) && gtk_widget_is_drawable (widget) &&
         strstr (gtk_label_get_text (GTK_LABEL (widget)), data) != NULL;
}

static GtkWidget *
find_type (GtkWidget *root,
           GType      type)
{
  return find_widget (root, is_of_type, GSIZE_TO_POINTER (type));
}

static GSubprocess *
start_exporter_with (const char *option)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *line = NULL;
  GSubprocess *process;

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDIN_PIPE, &error,
                              "/usr/bin/python3", g_getenv ("WINDOW_TEST_EXPORTER"),
                              "--interval", "500", option, NULL);
  g_assert_no_error (error);

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  g_object_set_data_full (G_OBJECT (process), "stdout", g_object_ref (out), g_object_unref);
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (line, ==, "ready");

  return process;
}

static GSubprocess *
start_exporter (gboolean hold)
{
  return start_exporter_with (hold ? "--hold" : NULL);
}

static void
stop_exporter (GSubprocess **process)
{
  if (*process == NULL)
    return;

  g_subprocess_send_signal (*process, SIGTERM);
  g_subprocess_wait (*process, NULL, NULL);
  g_clear_object (process);
}

static void
fill_journal (void)
{
  g_autofree char *path = health_window_journal_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;
  const char *argv[] = { g_getenv ("WINDOW_TEST_FILL_JOURNAL"), path, NULL };
  int status;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
}

static void
remove_journal (void)
{
  g_autofree char *path = health_window_journal_path ();
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  g_remove (path);
  g_remove (wal);
  g_remove (shm);
}

static const char *
window_state (GtkWidget *window)
{
  GtkWidget *view_stack = find_type (window, ADW_TYPE_VIEW_STACK);
  GtkWidget *state = gtk_widget_get_parent (view_stack);

  /* GtkStack's pages hang below it directly. */
  g_assert_true (GTK_IS_STACK (state));

  return gtk_stack_get_visible_child_name (GTK_STACK (state));
}

static gboolean
window_is_mirroring (gpointer data)
{
  return g_strcmp0 (window_state (data), "content") == 0;
}

static gboolean
window_is_not_running (gpointer data)
{
  return g_strcmp0 (window_state (data), "not-running") == 0;
}

/* Mirroring, and every value of the overview is known: a first sample has
 * crossed the bus. */
static gboolean
overview_has_values (gpointer data)
{
  GtkWidget *window = data;
  GtkWidget *overview;

  if (!window_is_mirroring (window))
    return FALSE;

  overview = find_widget (window, is_named, "overview");
  return overview != NULL && find_widget (overview, is_drawable_label_with, "%") != NULL;
}

static GtkWidget *
show_window (int width,
             int height)
{
  GtkWidget *window = health_window_new (NULL, BUS_NAME, OBJECT_PATH);

  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_present (GTK_WINDOW (window));
  gtk_test_util_wait_for_paint (window);

  return window;
}

/* No crossfade or slide under way below @widget. */
static gboolean
transitions_settled (gpointer data)
{
  GtkWidget *widget = data;
  gboolean running = FALSE;

  if (GTK_IS_STACK (widget) || ADW_IS_SQUEEZER (widget))
    g_object_get (widget, "transition-running", &running, NULL);
  else if (GTK_IS_REVEALER (widget))
    running = gtk_revealer_get_reveal_child (GTK_REVEALER (widget)) !=
              gtk_revealer_get_child_revealed (GTK_REVEALER (widget));

  if (running)
    return FALSE;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (!transitions_settled (child))
      return FALSE;

  return TRUE;
}

/* Painted as it settled: never half of a crossfade. */
static void
wait_for_settled_paint (GtkWidget *window)
{
  gtk_test_util_wait_for_paint (window);
  wait_until (transitions_settled, window, "the transitions to end");
  gtk_test_util_wait_for_paint (window);
}

static void
show_page (GtkWidget  *window,
           const char *name)
{
  adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (find_type (window, ADW_TYPE_VIEW_STACK)), name);
  gtk_test_util_wait_for_paint (window);
}

static void
set_dark (gboolean dark)
{
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      dark ? ADW_COLOR_SCHEME_FORCE_DARK : ADW_COLOR_SCHEME_FORCE_LIGHT);
}

static double
mean_luminance (cairo_surface_t *surface)
{
  int width = cairo_image_surface_get_width (surface);
  int height = cairo_image_surface_get_height (surface);
  double sum = 0;

  for (int y = 0; y < height; y += 4)
    for (int x = 0; x < width; x += 4)
      {
        double rgb[3];

        gtk_test_util_get_pixel (surface, x, y, rgb);
        sum += 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2];
      }

  return sum / ((height + 3) / 4) / ((width + 3) / 4);
}

static guint
count_colors (cairo_surface_t *surface)
{
  g_autoptr(GHashTable) colors = g_hash_table_new (NULL, NULL);
  const guint8 *data = cairo_image_surface_get_data (surface);
  int stride = cairo_image_surface_get_stride (surface);

  for (int y = 0; y < cairo_image_surface_get_height (surface); y++)
    for (int x = 0; x < cairo_image_surface_get_width (surface); x++)
      g_hash_table_add (colors, GUINT_TO_POINTER (*(const guint32 *) (data + y * stride + x * 4)));

  return g_hash_table_size (colors);
}

static char *
png_path (const char *name)
{
  const char *dir = g_getenv ("WINDOW_TEST_PNG_DIR");
  g_autofree char *file = g_strconcat (name, ".png", NULL);

  if (dir == NULL)
    dir = g_get_tmp_dir ();
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);

  return g_build_filename (dir, file, NULL);
}

/* Draws @window in light and in dark, saves both, and checks each is a
 * real drawing (many colours) and that dark is darker. */
static void
render_light_and_dark (GtkWidget  *window,
                       const char *name)
{
  cairo_surface_t *light, *dark;
  g_autofree char *light_name = g_strconcat (name, "-light", NULL);
  g_autofree char *dark_name = g_strconcat (name, "-dark", NULL);
  g_autofree char *light_path = png_path (light_name);
  g_autofree char *dark_path = png_path (dark_name);
  double light_luminance, dark_luminance;
  guint light_colors, dark_colors;

  set_dark (FALSE);
  wait_for_settled_paint (window);
  light = gtk_test_util_render (window);
  set_dark (TRUE);
  wait_for_settled_paint (window);
  dark = gtk_test_util_render (window);
  set_dark (FALSE);

  g_assert_cmpint (cairo_surface_write_to_png (light, light_path), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_surface_write_to_png (dark, dark_path), ==, CAIRO_STATUS_SUCCESS);

  light_luminance = mean_luminance (light);
  dark_luminance = mean_luminance (dark);
  light_colors = count_colors (light);
  dark_colors = count_colors (dark);
  g_test_message ("%s: light %s (%u colours, luminance %.0f), dark %s (%u colours, luminance %.0f)",
                  name, light_path, light_colors, light_luminance, dark_path, dark_colors, dark_luminance);

  /* Text, icons and lines, not a blank page. */
  g_assert_cmpuint (light_colors, >, 50);
  g_assert_cmpuint (dark_colors, >, 50);
  g_assert_cmpfloat (light_luminance, >, dark_luminance + 60);

  cairo_surface_destroy (light);
  cairo_surface_destroy (dark);
}

/* No label of @root is ellipsized, narrower than it needs, taller than
 * it was given, or out of @window: nothing is cut. */
static void
assert_no_cut_labels (GtkWidget *window,
                      GtkWidget *root)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  int window_width = gtk_widget_get_width (window);

  collect_widgets (root, GTK_TYPE_LABEL, labels);
  g_assert_cmpuint (labels->len, >, 0);

  for (guint i = 0; i < labels->len; i++)
    {
      GtkWidget *label = g_ptr_array_index (labels, i);
      const char *text = gtk_label_get_text (GTK_LABEL (label));
      int width = gtk_widget_get_width (label);
      int height = gtk_widget_get_height (label);
      int min_width, min_height;
      graphene_rect_t bounds;

      if (*text == '\0')
        continue;

      gtk_widget_measure (label, GTK_ORIENTATION_HORIZONTAL, -1, &min_width, NULL, NULL, NULL);
      gtk_widget_measure (label, GTK_ORIENTATION_VERTICAL, width, &min_height, NULL, NULL, NULL);
      g_assert_true (gtk_widget_compute_bounds (label, window, &bounds));

      if (pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (label))) ||
          width < min_width || height < min_height ||
          bounds.origin.x < 0 || bounds.origin.x + bounds.size.width > window_width + 0.5)
        g_error ("The label “%s” is cut: %d×%d of %d×%d needed at x %.0f in %d px%s",
                 text, width, height, min_width, min_height, bounds.origin.x, window_width,
                 pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (label))) ? ", ellipsized" : "");
    }
}

/* The sparklines form one column: same x, same width, whatever the
 * width of the values beside them. */
static void
assert_sparklines_aligned (GtkWidget *window)
{
  g_autoptr(GPtrArray) sparklines = g_ptr_array_new ();
  graphene_rect_t first, bounds;

  collect_widgets (find_widget (window, is_named, "overview"), HEALTH_GTK_TYPE_SPARKLINE, sparklines);
  g_assert_cmpuint (sparklines->len, >=, 5);

  g_assert_true (gtk_widget_compute_bounds (g_ptr_array_index (sparklines, 0), window, &first));
  g_assert_cmpfloat (first.size.width, >=, 48);
  for (guint i = 1; i < sparklines->len; i++)
    {
      g_assert_true (gtk_widget_compute_bounds (g_ptr_array_index (sparklines, i), window, &bounds));
      g_assert_cmpfloat (bounds.origin.x, ==, first.origin.x);
      g_assert_cmpfloat (bounds.size.width, ==, first.size.width);
    }
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  remove_journal ();
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->window != NULL)
    gtk_window_destroy (GTK_WINDOW (g_steal_pointer (&fixture->window)));
  gtk_test_util_drain ();
  stop_exporter (&fixture->exporter);
  remove_journal ();
}

static void
test_overview (Fixture       *fixture,
               gconstpointer  data)
{
  GtkWidget *overview;

  fixture->exporter = start_exporter (FALSE);
  fixture->window = show_window (640, 760);
  wait_until (overview_has_values, fixture->window, "the overview's values");
  wait_for_settled_paint (fixture->window);

  overview = find_widget (fixture->window, is_named, "overview");
  /* Grouped by condition: memory's group holds both memory metrics. */
  g_assert_nonnull (find_widget (overview, is_drawable_label_with, "Memory"));
  g_assert_nonnull (find_widget (overview, is_drawable_label_with, "Available Memory"));
  g_assert_nonnull (find_widget (overview, is_drawable_label_with, "Processor"));
  assert_sparklines_aligned (fixture->window);
  assert_no_cut_labels (fixture->window, overview);

  render_light_and_dark (fixture->window, "overview");
}

static HealthPreferencesWindow *find_preferences (void);

static gboolean
is_unsafe_label (GtkWidget     *widget,
                 gconstpointer  data)
{
  const char *text;

  if (!GTK_IS_LABEL (widget))
    return FALSE;

  text = gtk_label_get_text (GTK_LABEL (widget));
  return strchr (text, '\033') != NULL || strchr (text, '\a') != NULL || strstr (text, "\u202e") != NULL;
}

/* A mirrored metric's label and unit come from another process: shown
 * without the escape sequences and bidi override they carry. */
static void
test_overview_hostile (Fixture       *fixture,
                       gconstpointer  data)
{
  GtkWidget *preferences;

  fixture->exporter = start_exporter_with ("--hostile");
  fixture->window = show_window (640, 760);
  wait_until (overview_has_values, fixture->window, "the overview's values");
  wait_for_settled_paint (fixture->window);

  g_assert_nonnull (find_widget (fixture->window, is_drawable_label_with, "Evil"));
  g_assert_nonnull (find_widget (fixture->window, is_drawable_label_with, "pwned"));
  g_assert_null (find_widget (fixture->window, is_unsafe_label, NULL));

  show_page (fixture->window, "alerts");
  show_page (fixture->window, "history");
  g_assert_null (find_widget (fixture->window, is_unsafe_label, NULL));

  g_assert_true (gtk_widget_activate_action (fixture->window, "win.preferences", NULL));
  preferences = GTK_WIDGET (find_preferences ());
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (preferences), "thresholds");
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (find_widget (preferences, is_named, "hostile")), TRUE);
  wait_for_settled_paint (preferences);
  g_assert_nonnull (find_widget (preferences, is_drawable_label_with, "Evil"));
  g_assert_null (find_widget (preferences, is_unsafe_label, NULL));
  gtk_window_destroy (GTK_WINDOW (preferences));
}

static gboolean has_alert_rows   (gpointer data);
static gboolean chart_has_points (gpointer data);

/* 360 px: every page, in whichever language the test runs. */
static void
test_overview_narrow (Fixture       *fixture,
                      gconstpointer  data)
{
  fill_journal ();
  fixture->exporter = start_exporter (FALSE);
  fixture->window = show_window (360, 640);
  wait_until (overview_has_values, fixture->window, "the overview's values");
  wait_for_settled_paint (fixture->window);

  /* 360 px on the screen, its borders included. */
  g_assert_cmpint (gtk_widget_get_width (fixture->window), <=, 360);
  assert_sparklines_aligned (fixture->window);
  assert_no_cut_labels (fixture->window, fixture->window);
  render_light_and_dark (fixture->window, "overview-360");

  show_page (fixture->window, "alerts");
  wait_until (has_alert_rows, fixture->window, "the alerts");
  wait_for_settled_paint (fixture->window);
  assert_no_cut_labels (fixture->window, fixture->window);

  show_page (fixture->window, "history");
  wait_until (chart_has_points, fixture->window, "the day's points");
  wait_for_settled_paint (fixture->window);
  assert_no_cut_labels (fixture->window, fixture->window);
}

static gboolean
has_alert_rows (gpointer data)
{
  GtkWidget *alerts = find_widget (data, is_named, "alerts");
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  collect_widgets (alerts, ADW_TYPE_ACTION_ROW, rows);

  return rows->len >= 3;
}

static void
test_alerts (Fixture       *fixture,
             gconstpointer  data)
{
  GtkWidget *alerts;
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  const char *subtitle;

  fill_journal ();
  fixture->exporter = start_exporter (FALSE);
  fixture->window = show_window (640, 760);
  wait_until (window_is_mirroring, fixture->window, "the mirror");
  show_page (fixture->window, "alerts");
  wait_until (has_alert_rows, fixture->window, "the alerts");
  gtk_test_util_wait_for_paint (fixture->window);

  alerts = find_widget (fixture->window, is_named, "alerts");
  collect_widgets (alerts, ADW_TYPE_ACTION_ROW, rows);
  g_assert_cmpuint (rows->len, ==, 3);

  /* Newest first: the ongoing one, then the processor's, then memory's,
   * each with the recovery that ended it. */
  g_assert_cmpstr (adw_preferences_row_get_title (g_ptr_array_index (rows, 0)), ==, "Memory");
  subtitle = adw_action_row_get_subtitle (g_ptr_array_index (rows, 0));
  g_assert_nonnull (strstr (subtitle, "Available Memory 1.8\u00a0GiB, Warning, ongoing"));
  g_assert_nonnull (strstr (subtitle, "Largest user: firefox (4242) 11.2 GiB"));

  g_assert_cmpstr (adw_preferences_row_get_title (g_ptr_array_index (rows, 1)), ==, "Processor");
  subtitle = adw_action_row_get_subtitle (g_ptr_array_index (rows, 1));
  g_assert_nonnull (strstr (subtitle, "CPU Usage 88.0 %, Warning, recovered "));

  subtitle = adw_action_row_get_subtitle (g_ptr_array_index (rows, 2));
  g_assert_nonnull (strstr (subtitle, "Memory Usage 93.4 %, Critical, recovered "));

  assert_no_cut_labels (fixture->window, alerts);
  render_light_and_dark (fixture->window, "alerts");

  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 360, 640);
  wait_for_settled_paint (fixture->window);
  assert_no_cut_labels (fixture->window, fixture->window);
}

static gboolean
chart_has_points (gpointer data)
{
  GtkWidget *chart = find_type (data, HEALTH_GTK_TYPE_HISTORY_CHART);

  return health_gtk_history_chart_get_n_points (HEALTH_GTK_HISTORY_CHART (chart)) > 0;
}

static void
test_history (Fixture       *fixture,
              gconstpointer  data)
{
  GtkWidget *history, *chart, *chooser;
  GListModel *metrics;
  HealthMetric *metric;
  guint n_day;

  fill_journal ();
  fixture->exporter = start_exporter (FALSE);
  fixture->window = show_window (640, 760);
  wait_until (window_is_mirroring, fixture->window, "the mirror");
  show_page (fixture->window, "history");

  history = find_widget (fixture->window, is_named, "history");
  chart = find_type (history, HEALTH_GTK_TYPE_HISTORY_CHART);
  chooser = find_type (history, GTK_TYPE_DROP_DOWN);
  metrics = gtk_drop_down_get_model (GTK_DROP_DOWN (chooser));
  for (guint i = 0; i < g_list_model_get_n_items (metrics); i++)
    {
      g_autoptr(HealthMetric) item = g_list_model_get_item (metrics, i);

      if (g_str_equal (health_metric_get_id (item), "memory-available"))
        gtk_drop_down_set_selected (GTK_DROP_DOWN (chooser), i);
    }

  wait_until (chart_has_points, fixture->window, "the day's points");
  metric = health_gtk_history_chart_get_metric (HEALTH_GTK_HISTORY_CHART (chart));
  g_assert_cmpstr (health_metric_get_id (metric), ==, "memory-available");
  /* A day by default, at most a point per pixel. */
  n_day = health_gtk_history_chart_get_n_points (HEALTH_GTK_HISTORY_CHART (chart));
  g_assert_cmpuint (n_day, <=, MAX (60, gtk_widget_get_width (chart)));
  g_assert_cmpint (health_gtk_history_chart_get_to_us (HEALTH_GTK_HISTORY_CHART (chart)) -
                   health_gtk_history_chart_get_from_us (HEALTH_GTK_HISTORY_CHART (chart)), ==,
                   G_TIME_SPAN_DAY);
  gtk_test_util_wait_for_paint (fixture->window);
  render_light_and_dark (fixture->window, "history");

  /* The range buttons ask the journal again. */
  gtk_widget_activate (gtk_widget_get_parent (find_widget (history, is_drawable_label_with, "1 h")));
  while (health_gtk_history_chart_get_to_us (HEALTH_GTK_HISTORY_CHART (chart)) -
         health_gtk_history_chart_get_from_us (HEALTH_GTK_HISTORY_CHART (chart)) != G_TIME_SPAN_HOUR)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (health_gtk_history_chart_get_n_points (HEALTH_GTK_HISTORY_CHART (chart)), >, 0);

  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 360, 640);
  wait_for_settled_paint (fixture->window);
  assert_no_cut_labels (fixture->window, fixture->window);
}

static gboolean
page_shows (gpointer data)
{
  return find_widget (data, is_drawable_label_with, "History Is Off") == NULL;
}

/* Without a journal and with recording off, History says so and offers
 * to turn it on. */
static void
test_history_off (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GSettings) settings = health_window_lookup_settings ();
  GtkWidget *history, *button;

  g_settings_set_boolean (settings, "record-history", FALSE);
  fixture->exporter = start_exporter (FALSE);
  fixture->window = show_window (640, 760);
  wait_until (window_is_mirroring, fixture->window, "the mirror");
  show_page (fixture->window, "history");

  history = find_widget (fixture->window, is_named, "history");
  g_assert_nonnull (find_widget (history, is_drawable_label_with, "History Is Off"));
  button = gtk_widget_get_parent (find_widget (history, is_drawable_label_with, "Record History"));
  g_assert_true (GTK_IS_BUTTON (button));
  /* A button's activation ends with the pressed look, a moment later. */
  gtk_widget_activate (button);
  wait_until (page_shows, fixture->window, "the page to follow the setting");
  g_assert_true (g_settings_get_boolean (settings, "record-history"));
  g_assert_nonnull (find_widget (history, is_drawable_label_with, "No History Yet"));
}

static HealthPreferencesWindow *
find_preferences (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (toplevels, i);

      if (HEALTH_IS_PREFERENCES_WINDOW (item))
        return HEALTH_PREFERENCES_WINDOW (item);
    }

  return NULL;
}

static gboolean
thresholds_are_defaults (gpointer data)
{
  g_autoptr(GVariant) thresholds = g_settings_get_value (data, "thresholds");

  return !health_thresholds_lookup (thresholds, "memory-available", NULL, NULL);
}

static void
test_preferences (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GSettings) settings = health_window_lookup_settings ();
  g_autoptr(GVariant) thresholds = NULL;
  GtkWidget *preferences, *row, *warning, *critical, *error;
  double w = 0, c = 0;

  g_settings_reset (settings, "thresholds");
  fixture->exporter = start_exporter (FALSE);
  fixture->window = show_window (640, 760);
  wait_until (window_is_mirroring, fixture->window, "the mirror");

  /* Ctrl+comma's action. */
  g_assert_true (gtk_widget_activate_action (fixture->window, "win.preferences", NULL));
  preferences = GTK_WIDGET (find_preferences ());
  g_assert_nonnull (preferences);
  gtk_test_util_wait_for_paint (preferences);

  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (preferences), "thresholds");
  row = find_widget (preferences, is_named, "memory-available");
  g_assert_nonnull (row);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
  wait_for_settled_paint (preferences);
  warning = find_widget (row, is_named, "warning");
  critical = find_widget (row, is_named, "critical");
  /* The defaults, 2 GiB and 512 MiB, in GiB. */
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (warning)), ==, 2.0);
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (critical)), ==, 0.5);
  g_assert_nonnull (find_widget (row, is_drawable_label_with, "GiB"));

  gtk_spin_button_set_value (GTK_SPIN_BUTTON (warning), 1.5);
  thresholds = g_settings_get_value (settings, "thresholds");
  g_assert_true (health_thresholds_lookup (thresholds, "memory-available", &w, &c));
  g_assert_cmpfloat (w, ==, 1610612736.0);
  g_assert_cmpfloat (c, ==, 536870912.0);
  g_clear_pointer (&thresholds, g_variant_unref);

  /* Below the critical threshold, for a lower-is-worse metric: said in
   * the row, not written. */
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (warning), 0.25);
  wait_for_settled_paint (preferences);
  error = find_widget (row, is_drawable_label_with, "0.25");
  g_assert_nonnull (error);
  g_assert_true (gtk_widget_has_css_class (error, "error"));
  thresholds = g_settings_get_value (settings, "thresholds");
  g_assert_true (health_thresholds_lookup (thresholds, "memory-available", &w, NULL));
  g_assert_cmpfloat (w, ==, 1610612736.0);
  g_clear_pointer (&thresholds, g_variant_unref);

  render_light_and_dark (preferences, "preferences-thresholds");

  /* Reset: the entry goes, the applet gives the defaults back. */
  gtk_widget_activate (find_widget (row, is_named, "reset"));
  wait_until (thresholds_are_defaults, settings, "the reset");
  g_assert_false (gtk_widget_get_visible (gtk_widget_get_parent (error)));
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (warning)), ==, 2.0);

  gtk_window_destroy (GTK_WINDOW (preferences));
}

static gboolean
exporter_printed_exported (gpointer data)
{
  return GPOINTER_TO_INT (g_object_get_data (data, "exported"));
}

static void
on_exporter_line (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autofree char *line = g_data_input_stream_read_line_finish (G_DATA_INPUT_STREAM (source), result, NULL, NULL);

  g_object_set_data (user_data, "exported", GINT_TO_POINTER (g_strcmp0 (line, "exported") == 0));
}

static gboolean
window_shows_read_error (gpointer data)
{
  return window_is_not_running (data) &&
         find_widget (data, is_drawable_label_with, "Could not read the applet’s monitor") != NULL;
}

/* Not running: the status page, and Retry once there is something to
 * mirror. */
static void
test_not_running (Fixture       *fixture,
                  gconstpointer  data)
{
  GtkWidget *retry;
  GOutputStream *in;

  fixture->window = show_window (640, 760);
  wait_until (window_is_not_running, fixture->window, "the not-running page");
  gtk_test_util_wait_for_paint (fixture->window);
  g_assert_nonnull (find_widget (fixture->window, is_drawable_label_with,
                                 "The health applet is not running"));
  retry = gtk_widget_get_parent (find_widget (fixture->window, is_drawable_label_with, "Retry"));
  g_assert_true (GTK_IS_BUTTON (retry));
  g_assert_true (gtk_widget_has_focus (retry));
  render_light_and_dark (fixture->window, "not-running");

  /* The name appears with nothing exported yet: the window tries, fails,
   * says why. */
  fixture->exporter = start_exporter (TRUE);
  wait_until (window_shows_read_error, fixture->window, "the read error");

  in = g_subprocess_get_stdin_pipe (fixture->exporter);
  g_assert_true (g_output_stream_write_all (in, "export\n", 7, NULL, NULL, NULL));
  g_data_input_stream_read_line_async (g_object_get_data (G_OBJECT (fixture->exporter), "stdout"),
                                       G_PRIORITY_DEFAULT, NULL, on_exporter_line, fixture->exporter);
  wait_until (exporter_printed_exported, fixture->exporter, "the export");

  gtk_widget_activate (retry);
  wait_until (window_is_mirroring, fixture->window, "the mirror after Retry");
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *state = g_dir_make_tmp ("health-window-state-XXXXXX", NULL);
  g_autofree char *journal_dir = g_build_filename (state, "health-monitor", NULL);
  int status;

  /* Where the window looks for the journal, the test's own. */
  g_setenv ("XDG_STATE_HOME", state, TRUE);
  /* The catalogues of the build tree, for a run in another language
   * (window-pages-de: longer words must not be cut either). */
  setlocale (LC_ALL, "");
  /* The library binds its domain to the installed catalogues when its
   * monitor class is first used: bind ours after. */
  g_type_class_unref (g_type_class_ref (HEALTH_TYPE_MONITOR));
  if (g_getenv ("WINDOW_TEST_LOCALEDIR") != NULL)
    bindtextdomain (GETTEXT_PACKAGE, g_getenv ("WINDOW_TEST_LOCALEDIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  gtk_test_util_init (&argc, &argv);
  adw_init ();

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("/window/overview", test_overview);
  ADD ("/window/overview/360px", test_overview_narrow);
  ADD ("/window/overview/hostile-text", test_overview_hostile);
  ADD ("/window/alerts", test_alerts);
  ADD ("/window/history", test_history);
  ADD ("/window/history/off", test_history_off);
  ADD ("/window/preferences/gib", test_preferences);
  ADD ("/window/not-running/retry", test_not_running);
#undef ADD

  status = g_test_run ();
  g_rmdir (journal_dir);
  g_rmdir (state);

  return status;
}
