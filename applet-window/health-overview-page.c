/* health-overview-page.c: the system's conditions at a glance
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One boxed list per condition (memory, swap, processor, disk, I/O), a
 * row per metric: status icon, label, sparkline, value. The values share a
 * size group, and a row lays its columns out from its width alone (see
 * row_layout_columns()), so every row of every list puts its sparkline at
 * the same x with the same width however wide its value or label is; the
 * label takes what is left and wraps, never cut, down to a 360 px window.
 * A GtkBox cannot promise that: it sizes a wrapping label for the row's
 * height, and a row with a second line would get other columns.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <health-gtk.h>

#include "health-overview-page.h"
#include "health-window-util.h"

/* Narrow enough for a phone-sized window; sparklines grow to the max when
 * there is room. */
#define SPARKLINE_MIN_WIDTH 64
#define SPARKLINE_MAX_WIDTH 160
#define COLUMN_SPACING      12

struct _HealthOverviewPage
{
  GtkWidget      parent_instance;

  HealthMonitor *monitor;
  GPtrArray     *rows;            /* OverviewRow */
  GPtrArray     *groups;          /* AdwPreferencesGroup, borrowed */

  GtkWidget     *page;            /* AdwPreferencesPage */
  GtkSizeGroup  *value_column;
};

G_DEFINE_FINAL_TYPE (HealthOverviewPage, health_overview_page, GTK_TYPE_WIDGET)

typedef struct
{
  HealthMetric *metric;
  GtkWidget    *row;
  GtkWidget    *icon;
  GtkWidget    *value;
} OverviewRow;

static void
overview_row_free (gpointer data)
{
  OverviewRow *row = data;

  g_clear_object (&row->metric);
  g_free (row);
}

static void
overview_row_update (OverviewRow *row)
{
  HealthStatus status = health_metric_get_status (row->metric);
  g_autofree char *value = health_window_format_value (row->metric, health_metric_get_value (row->metric));
  g_autofree char *label = health_window_dup_label (row->metric);
  g_autofree char *spoken = NULL;

  gtk_image_set_from_icon_name (GTK_IMAGE (row->icon), health_status_get_icon_name (status));
  gtk_accessible_update_property (GTK_ACCESSIBLE (row->icon),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, health_status_to_label (status),
                                  -1);
  gtk_label_set_text (GTK_LABEL (row->value), value);

  /* Translators: what a screen reader says for a metric's row: a label,
   * a value and a status, "Memory Usage 93.1 %, Critical". */
  spoken = g_strdup_printf (_("%s %s, %s"), label, value,
                            health_status_to_label (status));
  gtk_accessible_update_property (GTK_ACCESSIBLE (row->row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, spoken,
                                  -1);
}

/* The x and width of the four columns (icon, text, sparkline, value) of
 * a row @width wide: a function of the width and of what every row shares
 * (the icon size, the value column's size group), nothing else. */
static void
row_layout_columns (GtkWidget *box,
                    int        width,
                    int        x[4],
                    int        w[4])
{
  GtkWidget *child = gtk_widget_get_first_child (box);
  int rest;

  for (int i = 0; i < 4; i++, child = gtk_widget_get_next_sibling (child))
    if (i != 1 && i != 2)
      gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &w[i], NULL, NULL);

  rest = width - w[0] - w[3] - 3 * COLUMN_SPACING;
  /* A third of what is left, the text keeping the rest. */
  w[2] = CLAMP (rest / 3, SPARKLINE_MIN_WIDTH, SPARKLINE_MAX_WIDTH);
  w[1] = MAX (0, rest - w[2]);

  x[0] = 0;
  for (int i = 1; i < 4; i++)
    x[i] = x[i - 1] + w[i - 1] + COLUMN_SPACING;
}

static GtkSizeRequestMode
row_layout_request_mode (GtkWidget *box)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
row_layout_measure (GtkWidget      *box,
                    GtkOrientation  orientation,
                    int             for_size,
                    int            *minimum,
                    int            *natural,
                    int            *minimum_baseline,
                    int            *natural_baseline)
{
  int x[4], w[4];
  int i = 0;

  *minimum = *natural = 0;

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      for (GtkWidget *child = gtk_widget_get_first_child (box); child != NULL;
           child = gtk_widget_get_next_sibling (child), i++)
        {
          int child_min, child_nat;

          gtk_widget_measure (child, orientation, -1, &child_min, &child_nat, NULL, NULL);
          if (i == 2)
            child_min = SPARKLINE_MIN_WIDTH, child_nat = SPARKLINE_MAX_WIDTH;
          *minimum += child_min;
          *natural += child_nat;
        }
      *minimum += 3 * COLUMN_SPACING;
      *natural += 3 * COLUMN_SPACING;
      return;
    }

  if (for_size >= 0)
    row_layout_columns (box, for_size, x, w);

  for (GtkWidget *child = gtk_widget_get_first_child (box); child != NULL;
       child = gtk_widget_get_next_sibling (child), i++)
    {
      int child_min, child_nat;

      gtk_widget_measure (child, orientation, for_size >= 0 ? w[i] : -1, &child_min, &child_nat, NULL, NULL);
      *minimum = MAX (*minimum, child_min);
      *natural = MAX (*natural, child_nat);
    }
}

static void
row_layout_allocate (GtkWidget *box,
                     int        width,
                     int        height,
                     int        baseline)
{
  int x[4], w[4];
  int i = 0;

  row_layout_columns (box, width, x, w);

  for (GtkWidget *child = gtk_widget_get_first_child (box); child != NULL;
       child = gtk_widget_get_next_sibling (child), i++)
    {
      int child_height;

      /* Centred on the row, each at the height it needs for its width. */
      gtk_widget_measure (child, GTK_ORIENTATION_VERTICAL, w[i], NULL, &child_height, NULL, NULL);
      child_height = MIN (child_height, height);
      gtk_widget_size_allocate (child,
                                &(GtkAllocation) { x[i], (height - child_height) / 2, w[i], child_height },
                                -1);
    }
}

static GtkWidget *
make_wrapping_label (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);

  return label;
}

static OverviewRow *
overview_row_new (HealthOverviewPage *self,
                  HealthMetric       *metric)
{
  OverviewRow *row = g_new0 (OverviewRow, 1);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  g_autofree char *label = health_window_dup_label (metric);
  g_autofree char *detail = health_window_dup_text (health_metric_get_detail (metric));
  GtkWidget *title = make_wrapping_label (label);
  GtkWidget *sparkline = health_gtk_sparkline_new (metric);

  row->metric = g_object_ref (metric);
  /* An AdwPreferencesRow, so AdwPreferencesGroup puts it in its boxed list. */
  row->row = adw_preferences_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row->row), label);
  row->icon = gtk_image_new ();
  row->value = gtk_label_new (NULL);

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row->row), FALSE);
  gtk_widget_set_tooltip_text (row->row, health_metric_get_id (metric));

  gtk_widget_set_layout_manager (box, gtk_custom_layout_new (row_layout_request_mode,
                                                             row_layout_measure,
                                                             row_layout_allocate));
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);

  gtk_widget_set_valign (row->icon, GTK_ALIGN_CENTER);

  gtk_widget_set_hexpand (text, TRUE);
  gtk_widget_set_valign (text, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (text), title);
  if (detail != NULL && *detail != '\0')
    {
      GtkWidget *subtitle = make_wrapping_label (detail);

      gtk_widget_add_css_class (subtitle, "dim-label");
      gtk_widget_add_css_class (subtitle, "caption");
      gtk_box_append (GTK_BOX (text), subtitle);
    }

  health_gtk_sparkline_set_monitor (HEALTH_GTK_SPARKLINE (sparkline), self->monitor);
  gtk_widget_set_valign (sparkline, GTK_ALIGN_CENTER);

  gtk_label_set_xalign (GTK_LABEL (row->value), 1.0);
  gtk_widget_add_css_class (row->value, "numeric");
  gtk_widget_set_valign (row->value, GTK_ALIGN_CENTER);

  gtk_size_group_add_widget (self->value_column, row->value);

  gtk_box_append (GTK_BOX (box), row->icon);
  gtk_box_append (GTK_BOX (box), text);
  gtk_box_append (GTK_BOX (box), sparkline);
  gtk_box_append (GTK_BOX (box), row->value);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row->row), box);

  overview_row_update (row);

  return row;
}

static void
on_sampled (HealthOverviewPage *self)
{
  for (guint i = 0; i < self->rows->len; i++)
    overview_row_update (g_ptr_array_index (self->rows, i));
}

static void
overview_clear (HealthOverviewPage *self)
{
  for (guint i = 0; i < self->groups->len; i++)
    adw_preferences_page_remove (ADW_PREFERENCES_PAGE (self->page),
                                 g_ptr_array_index (self->groups, i));
  g_ptr_array_set_size (self->groups, 0);
  g_ptr_array_set_size (self->rows, 0);
}

static AdwPreferencesGroup *
overview_find_group (HealthOverviewPage *self,
                     const char         *condition,
                     HealthMetric       *metric)
{
  AdwPreferencesGroup *group;
  g_autofree char *label = NULL;
  const char *title;

  for (guint i = 0; i < self->groups->len; i++)
    {
      group = g_ptr_array_index (self->groups, i);
      if (g_strcmp0 (g_object_get_data (G_OBJECT (group), "condition"), condition) == 0)
        return group;
    }

  title = health_condition_get_title (condition);
  group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  if (title == NULL)
    title = label = health_window_dup_label (metric);
  adw_preferences_group_set_title (group, title);
  g_object_set_data_full (G_OBJECT (group), "condition", g_strdup (condition), g_free);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self->page), group);
  g_ptr_array_add (self->groups, group);

  return group;
}

/* The monitor's order within a condition, conditions in the order they
 * first appear: memory before swap before the processor, as the
 * built-ins come. */
static void
overview_rebuild (HealthOverviewPage *self)
{
  GListModel *metrics;

  overview_clear (self);

  if (self->monitor == NULL)
    return;

  metrics = health_monitor_get_metrics (self->monitor);
  for (guint i = 0; i < g_list_model_get_n_items (metrics); i++)
    {
      g_autoptr(HealthMetric) metric = g_list_model_get_item (metrics, i);
      const char *condition = health_metric_get_condition (metric);
      AdwPreferencesGroup *group;
      OverviewRow *row;

      if (condition == NULL)
        condition = health_metric_get_id (metric);

      group = overview_find_group (self, condition, metric);
      row = overview_row_new (self, metric);
      adw_preferences_group_add (group, row->row);
      g_ptr_array_add (self->rows, row);
    }
}

void
health_overview_page_set_monitor (HealthOverviewPage *self,
                                  HealthMonitor      *monitor)
{
  g_return_if_fail (HEALTH_IS_OVERVIEW_PAGE (self));
  g_return_if_fail (monitor == NULL || HEALTH_IS_MONITOR (monitor));

  if (self->monitor == monitor)
    return;

  if (self->monitor != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->monitor, self);
      g_signal_handlers_disconnect_by_data (health_monitor_get_metrics (self->monitor), self);
    }

  g_set_object (&self->monitor, monitor);

  if (self->monitor != NULL)
    {
      g_signal_connect_swapped (self->monitor, "sampled", G_CALLBACK (on_sampled), self);
      g_signal_connect_swapped (health_monitor_get_metrics (self->monitor), "items-changed",
                                G_CALLBACK (overview_rebuild), self);
    }

  overview_rebuild (self);
}

static void
health_overview_page_dispose (GObject *object)
{
  HealthOverviewPage *self = HEALTH_OVERVIEW_PAGE (object);

  health_overview_page_set_monitor (self, NULL);
  g_clear_pointer (&self->page, gtk_widget_unparent);

  G_OBJECT_CLASS (health_overview_page_parent_class)->dispose (object);
}

static void
health_overview_page_finalize (GObject *object)
{
  HealthOverviewPage *self = HEALTH_OVERVIEW_PAGE (object);

  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->groups, g_ptr_array_unref);
  g_clear_object (&self->value_column);

  G_OBJECT_CLASS (health_overview_page_parent_class)->finalize (object);
}

static void
health_overview_page_class_init (HealthOverviewPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = health_overview_page_dispose;
  object_class->finalize = health_overview_page_finalize;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
health_overview_page_init (HealthOverviewPage *self)
{
  self->rows = g_ptr_array_new_with_free_func (overview_row_free);
  self->groups = g_ptr_array_new ();
  self->value_column = gtk_size_group_new (GTK_SIZE_GROUP_HORIZONTAL);

  self->page = adw_preferences_page_new ();
  gtk_widget_set_parent (self->page, GTK_WIDGET (self));
}

GtkWidget *
health_overview_page_new (void)
{
  return g_object_new (HEALTH_TYPE_OVERVIEW_PAGE, NULL);
}
