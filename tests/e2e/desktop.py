#!/usr/bin/python3
"""What the end-to-end run asks of the desktop around the window (Debian's python3: it has
dbus and Xlib; the machine's default python3 may not).

  desktop.py close-window NAME   ask the window to close, as its close button does
                                 (WM_DELETE_WINDOW): Accord hides to the tray
  desktop.py mapped NAME         prints "true" while the window is shown, else "false"
  desktop.py notifications       the notifications the session's notification service
                                 (python3-dbusmock's notification_daemon template) received,
                                 as JSON: [{"at": unix seconds, "app", "summary", "body", "id"}]
  desktop.py click-notification ID
                                 the person clicks notification ID: the service tells its
                                 sender (ActionInvoked "default"), as a real one does
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


def notification_service():
    import dbus

    bus = dbus.SessionBus()
    return bus.get_object("org.freedesktop.Notifications", "/org/freedesktop/Notifications")


def notifications():
    calls = notification_service().GetCalls(dbus_interface="org.freedesktop.DBus.Mock")
    shown, next_id = [], 1
    for at, method, args in calls:
        if method != "Notify":
            continue
        # The template numbers new notifications 1, 2, … (a replacement keeps its id).
        if int(args[1]):
            id_ = int(args[1])
        else:
            id_, next_id = next_id, next_id + 1
        shown.append({"at": float(at), "app": str(args[0]), "summary": str(args[3]), "body": str(args[4]), "id": id_})
    print(json.dumps(shown, ensure_ascii=False))


def click_notification(id_):
    import dbus

    notification_service().EmitSignal(
        "org.freedesktop.Notifications",
        "ActionInvoked",
        "us",
        [dbus.UInt32(int(id_)), "default"],
        dbus_interface="org.freedesktop.DBus.Mock",
    )


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "close-window":
        close_window(sys.argv[2])
    elif command == "mapped":
        mapped(sys.argv[2])
    elif command == "notifications":
        notifications()
    elif command == "click-notification":
        click_notification(sys.argv[2])
    else:
        sys.exit(__doc__)
