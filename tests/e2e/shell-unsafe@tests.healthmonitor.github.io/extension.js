/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Test only (tests/e2e/shell_session.py copies it into the private
 * session): org.gnome.Shell.Eval answers only in unsafe mode, and the
 * tests read Main.panel.statusArea and Main.messageTray through it.
 */

/* exported init */

'use strict';

class Extension {
    enable() {
        global.context.unsafe_mode = true;
    }

    disable() {
        global.context.unsafe_mode = false;
    }
}

function init() {
    return new Extension();
}
