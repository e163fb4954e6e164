import { Component, type ReactNode } from "react";
import { useTranslation } from "react-i18next";

type Props = { children: ReactNode; screen: string };
type State = { error: Error | null; screen: string };

/**
 * Keeps a screen's failure on that screen: the sidebar stays, the person reads what went wrong
 * and can try again or go elsewhere, instead of a blank window.
 */
export class ScreenErrorBoundary extends Component<Props, State> {
  state: State = { error: null, screen: this.props.screen };

  static getDerivedStateFromError(error: Error): Partial<State> {
    return { error };
  }

  static getDerivedStateFromProps(props: Props, state: State): Partial<State> | null {
    // Going to another screen starts afresh.
    return props.screen !== state.screen ? { error: null, screen: props.screen } : null;
  }

  componentDidCatch(error: Error) {
    console.error("a screen failed", error);
  }

  render() {
    if (this.state.error) {
      return <ScreenFailed message={this.state.error.message} onRetry={() => this.setState({ error: null })} />;
    }
    return this.props.children;
  }
}

function ScreenFailed({ message, onRetry }: { message: string; onRetry: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="page">
      <div className="banner banner-error" role="alert" data-testid="screen-failed">
        <p>{t("app.screenFailed")}</p>
        <p className="muted" dir="ltr">
          {message}
        </p>
        <button type="button" className="button" onClick={onRetry}>
          {t("app.retry")}
        </button>
      </div>
    </div>
  );
}
