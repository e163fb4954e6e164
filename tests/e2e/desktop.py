#!/usr/bin/python3
"""What the end-to-end run asks of the desktop around the window (Debian's python3: it has
dbus and Xlib; the machine's default python3 may not).

  desktop.py close-window NAME   ask the window to close, as its close button does
                                 (WM_DELETE_WINDOW): Accord hides to the tray
  desktop.py mapped NAME         prints "true" while the window is shown, else "false"
  desktop.py notifications       the notifications the session's notification service
                                 (python3-dbusmock's notification_daemon template) received,
                                 as JSON: [{"at": unix seconds, "app", "summary", "body"}]
"""
import json
import sys


def windows_named(name):
    """Every window with this title (GTK may keep more than one), with the display."""
    from Xlib import display

    d = display.Display()
    found = []

    def walk(window):
        for child in window.query_tree().children:
            if child.get_wm_name() == name:
                found.append(child)
            walk(child)

    walk(d.screen().root)
    return d, found


def shown(window):
    from Xlib import X

    return window.get_attributes().map_state == X.IsViewable


def close_window(name):
    from Xlib import X
    from Xlib.protocol import event

    d, windows = windows_named(name)
    targets = [w for w in windows if shown(w)]
    if not targets:
        sys.exit(f"no shown window named {name!r}")
    protocols = d.intern_atom("WM_PROTOCOLS")
    delete = d.intern_atom("WM_DELETE_WINDOW")
    for window in targets:
        message = event.ClientMessage(window=window, client_type=protocols, data=(32, [delete, X.CurrentTime, 0, 0, 0]))
        window.send_event(message, event_mask=X.NoEventMask)
    d.flush()


def mapped(name):
    _, windows = windows_named(name)
    print("true" if any(shown(w) for w in windows) else "false")


def notifications():
    import dbus

    bus = dbus.SessionBus()
    mock = bus.get_object("org.freedesktop.Notifications", "/org/freedesktop/Notifications")
    calls = mock.GetCalls(dbus_interface="org.freedesktop.DBus.Mock")
    shown = [
        {"at": float(at), "app": str(args[0]), "summary": str(args[3]), "body": str(args[4])}
        for at, method, args in calls
        if method == "Notify"
    ]
    print(json.dumps(shown, ensure_ascii=False))


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "close-window":
        close_window(sys.argv[2])
    elif command == "mapped":
        mapped(sys.argv[2])
    elif command == "notifications":
        notifications()
    else:
        sys.exit(__doc__)
