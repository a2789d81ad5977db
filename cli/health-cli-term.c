/* health-cli-term.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The full-screen mode of `watch`: alternate screen, hidden cursor, keys
 * read one at a time without echo; and the way back, whatever way the
 * program leaves (q, Ctrl-C, SIGTERM, SIGHUP, a crash) or pauses (Ctrl-Z).
 *
 * The state lives in file-scope variables because signal handlers,
 * which get no user data, must be able to restore the terminal. Only
 * async-signal-safe calls touch it from there.
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib-unix.h>

#include "health-cli-private.h"

/* Alternate screen, hidden cursor, no autowrap (a line that is still too
 * wide is cut instead of scrolling the screen), then clear. */
#define ENTER_SEQUENCE "\033[?1049h\033[?25l\033[?7l\033[H\033[2J"
#define LEAVE_SEQUENCE "\033[0m\033[?7h\033[?25h\033[?1049l"

static volatile sig_atomic_t term_active;
static gboolean have_saved_termios;
static struct termios saved_termios;
static struct termios raw_termios;
static int resume_pipe[2] = { -1, -1 };
static struct sigaction old_tstp_action;
static struct sigaction old_cont_action;

/* Signals that end the process without running any of our code: a
 * failed assertion, a fatal critical, a crash. */
static const int crash_signals[] = { SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL };
static struct sigaction old_crash_actions[G_N_ELEMENTS (crash_signals)];

static void
close_fd (int *fd)
{
  if (*fd >= 0)
    close (*fd);
  *fd = -1;
}

static void
term_apply_enter (void)
{
  if (have_saved_termios)
    tcsetattr (STDIN_FILENO, TCSANOW, &raw_termios);

  health_cli_write_all (STDOUT_FILENO, ENTER_SEQUENCE, strlen (ENTER_SEQUENCE));
}

static void
term_apply_leave (void)
{
  health_cli_write_all (STDOUT_FILENO, LEAVE_SEQUENCE, strlen (LEAVE_SEQUENCE));

  if (have_saved_termios)
    {
      sigset_t block;
      sigset_t old_mask;

      /* On Ctrl-Z, when a wrapper script that leads our job stopped
       * first, the shell may own the terminal already: with SIGTTOU
       * blocked the modes are restored all the same, instead of the
       * restore stopping us. */
      sigemptyset (&block);
      sigaddset (&block, SIGTTOU);
      sigprocmask (SIG_BLOCK, &block, &old_mask);

      /* TCSAFLUSH drops keys typed but not read yet, so they do not end
       * up on the shell's command line. */
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved_termios);

      sigprocmask (SIG_SETMASK, &old_mask, NULL);
    }
}

static gboolean
term_is_foreground (void)
{
  pid_t group = tcgetpgrp (STDOUT_FILENO);

  return group < 0 || group == getpgrp ();
}

/* Ctrl-Z: give the shell its terminal back, then stop for real. */
static void
on_sigtstp (int signo)
{
  int saved_errno = errno;

  if (term_active)
    term_apply_leave ();

  /* The default action stops the process once this handler returns and
   * unblocks the signal. */
  signal (SIGTSTP, SIG_DFL);
  raise (SIGTSTP);

  errno = saved_errno;
}

static void on_sigcont (int signo);

/* Restore, then let the signal do what it would have done: SA_RESETHAND
 * brought back the default action, and the signal, raised again, is
 * delivered as soon as this returns (also when it came from kill(1),
 * which, unlike abort() or a fault, would not repeat it). */
static void
on_crash (int signo)
{
  if (term_active)
    {
      term_active = FALSE;
      term_apply_leave ();
    }

  raise (signo);
}

static void
install_crash_handlers (void)
{
  struct sigaction action;

  memset (&action, 0, sizeof action);
  sigemptyset (&action.sa_mask);
  action.sa_flags = SA_RESETHAND;
  action.sa_handler = on_crash;

  for (guint i = 0; i < G_N_ELEMENTS (crash_signals); i++)
    sigaction (crash_signals[i], &action, &old_crash_actions[i]);
}

static void
restore_crash_handlers (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (crash_signals); i++)
    sigaction (crash_signals[i], &old_crash_actions[i], NULL);
}

static void
install_stop_handlers (void)
{
  struct sigaction action;

  memset (&action, 0, sizeof action);
  sigemptyset (&action.sa_mask);
  action.sa_flags = SA_RESTART;

  action.sa_handler = on_sigtstp;
  sigaction (SIGTSTP, &action, NULL);

  action.sa_handler = on_sigcont;
  sigaction (SIGCONT, &action, NULL);
}

/* Back from `fg`: take the terminal again and have the main loop redraw. */
static void
on_sigcont (int signo)
{
  int saved_errno = errno;

  install_stop_handlers ();

  if (term_active)
    {
      /* Continued with `bg`: the screen is the shell's. Stop as any
       * background job that wants its terminal does, until `fg`. */
      if (!term_is_foreground ())
        raise (SIGTTOU);

      term_apply_enter ();

      if (resume_pipe[1] >= 0)
        health_cli_write_all (resume_pipe[1], "c", 1);
    }

  errno = saved_errno;
}

/**
 * health_cli_term_enter:
 * @raw_input: whether to read keys from stdin one by one, without echo
 * @error: return location for an error
 *
 * Switches stdout, which must be a terminal, to the alternate screen.
 * Ctrl-C still sends SIGINT: only canonical mode and echo are turned off.
 *
 * Returns: whether the terminal is in full-screen mode
 */
gboolean
health_cli_term_enter (gboolean   raw_input,
                       GError   **error)
{
  g_return_val_if_fail (!term_active, FALSE);

  if (!g_unix_open_pipe (resume_pipe, FD_CLOEXEC, error))
    return FALSE;

  /* A signal handler must never block on a full pipe. */
  if (!g_unix_set_fd_nonblocking (resume_pipe[0], TRUE, error) ||
      !g_unix_set_fd_nonblocking (resume_pipe[1], TRUE, error))
    {
      close_fd (&resume_pipe[0]);
      close_fd (&resume_pipe[1]);
      return FALSE;
    }

  if (raw_input && tcgetattr (STDIN_FILENO, &saved_termios) == 0)
    {
      raw_termios = saved_termios;
      raw_termios.c_lflag &= ~(ICANON | ECHO);
      raw_termios.c_cc[VMIN] = 1;
      raw_termios.c_cc[VTIME] = 0;
      have_saved_termios = TRUE;
    }

  sigaction (SIGTSTP, NULL, &old_tstp_action);
  sigaction (SIGCONT, NULL, &old_cont_action);
  install_stop_handlers ();
  install_crash_handlers ();

  term_active = TRUE;
  term_apply_enter ();

  return TRUE;
}

/**
 * health_cli_term_leave:
 *
 * Restores what health_cli_term_enter() changed. Does nothing when the
 * terminal is not in full-screen mode, so every exit path may call it.
 */
void
health_cli_term_leave (void)
{
  sigset_t block;
  sigset_t old_mask;

  if (!term_active)
    return;

  /* Ctrl-Z in the middle would enter the alternate screen again on fg. */
  sigemptyset (&block);
  sigaddset (&block, SIGTSTP);
  sigaddset (&block, SIGCONT);
  sigprocmask (SIG_BLOCK, &block, &old_mask);

  fflush (stdout);
  term_active = FALSE;
  term_apply_leave ();
  have_saved_termios = FALSE;

  sigaction (SIGTSTP, &old_tstp_action, NULL);
  sigaction (SIGCONT, &old_cont_action, NULL);
  restore_crash_handlers ();

  sigprocmask (SIG_SETMASK, &old_mask, NULL);

  close_fd (&resume_pipe[0]);
  close_fd (&resume_pipe[1]);
}

/* Readable after the process was continued: the screen needs a redraw. */
int
health_cli_term_get_resume_fd (void)
{
  return resume_pipe[0];
}

void
health_cli_term_drain_resume_fd (void)
{
  char buf[64];

  while (resume_pipe[0] >= 0 && read (resume_pipe[0], buf, sizeof buf) > 0)
    ;
}

void
health_cli_term_get_size (guint *columns,
                          guint *rows)
{
  struct winsize size;

  memset (&size, 0, sizeof size);

  if (ioctl (STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0 && size.ws_row > 0)
    {
      *columns = size.ws_col;
      *rows = size.ws_row;
    }
  else
    {
      *columns = 80;
      *rows = 24;
    }
}
