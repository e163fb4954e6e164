import { useId, type RefObject } from "react";
import { useTranslation } from "react-i18next";
import type { TFunction } from "i18next";
import type { DateOrder, ImportTarget, InspectedFile } from "../../../api/generated";
import type { Language } from "../../../i18n";
import { formatList, formatSerial } from "../../../shared/format";
import { useLanguage } from "../../../shared/useLanguage";
import { dateExample, dateOrderLabel, DATE_ORDERS, isDateOrder, targetLabel } from "../labels";
import { firstSampleDate, mappedDateColumns, missingRequired, mustAskDateOrder, sameFieldAs, sampleValues, shownDateOrder, type Selection } from "../plan";

type Props = {
  file: InspectedFile;
  selection: Selection;
  onSelect: (column: number, field: string) => void;
  /** The order chosen ("" while nobody has said). */
  dateOrder: DateOrder | "";
  onDateOrder: (order: DateOrder | "") => void;
  /** The core asked for the order (a `date_order` problem): the choice is shown whatever the columns. */
  dateOrderAsked: boolean;
  /** The order's choice, focused when the core asks for it. */
  dateOrderRef: RefObject<HTMLSelectElement | null>;
  country: string;
  onCountry: (country: string) => void;
  /** The core's problems, in words: with the mapping as a whole, by file column, with the date order, with the country. */
  errors: {
    mapping: string | null;
    columns: ReadonlyMap<number, string>;
    dateOrder: string | null;
    country: string | null;
  };
  previewing: boolean;
  onPreview: () => void;
};

/**
 * Step 2: per column of the file, its heading, a few of its values and the field it fills (or
 * none); the order of day and month when the dates do not show it; the default country of phone
 * numbers; then Preview.
 */
export function MappingStep({
  file,
  selection,
  onSelect,
  dateOrder,
  onDateOrder,
  dateOrderAsked,
  dateOrderRef,
  country,
  onCountry,
  errors,
  previewing,
  onPreview,
}: Props) {
  const { t } = useTranslation();
  const language = useLanguage();
  const titleId = useId();
  const countryId = useId();
  const dateId = useId();
  const missing = missingRequired(file.targets, selection);
  const standard = file.targets.filter((target) => target.label === null);
  const custom = file.targets.filter((target) => target.label !== null);
  const dateColumns = mappedDateColumns(file, selection);
  const mustAsk = mustAskDateOrder(file, selection);
  const shown = shownDateOrder(file, selection);
  const showDates = dateOrderAsked || dateColumns.length > 0;
  const sample = firstSampleDate(file, selection);
  const optionLabel = (target: ImportTarget) =>
    target.required ? t("imports.map.requiredOption", { field: targetLabel(t, target) }) : targetLabel(t, target);

  return (
    <section className="import-step" aria-labelledby={titleId}>
      <h2 id={titleId} className="section-title">
        {t("imports.steps.map")}
      </h2>
      <p className="muted" data-testid="import-mapping-source">
        {file.remembered ? t("imports.map.remembered") : t("imports.map.guessed")}
      </p>
      {errors.mapping ? (
        <p className="status-error" role="alert" data-testid="import-mapping-error">
          {errors.mapping}
        </p>
      ) : (
        missing.length > 0 && (
          <p className="status-warning" data-testid="import-mapping-missing">
            {t("imports.map.missing", { fields: formatList(missing.map((target) => targetLabel(t, target)), language) })}
          </p>
        )
      )}

      <div className="import-table-scroll">
        <table className="data-table import-mapping">
          <thead>
            <tr>
              <th scope="col">{t("imports.map.column")}</th>
              <th scope="col">{t("imports.map.examples")}</th>
              <th scope="col">{t("imports.map.field")}</th>
            </tr>
          </thead>
          <tbody>
            {file.headers.map((header, column) => {
              const error = errors.columns.get(column);
              const twin = sameFieldAs(selection, column);
              const message = error ?? (twin !== null ? t("imports.map.twice", { column: file.headers[twin] || columnName(t, twin, language) }) : null);
              const values = sampleValues(file, column);
              const heading = header || columnName(t, column, language);
              const selectId = `${titleId}-${column}`;
              return (
                <tr key={column} data-testid={`import-column-${column}`}>
                  <th scope="row" className="import-heading">
                    <label htmlFor={selectId}>
                      <bdi>{heading}</bdi>
                    </label>
                  </th>
                  <td className="import-examples muted">
                    {values.length === 0 ? (
                      t("imports.map.noValues")
                    ) : (
                      <ul className="import-example-list">
                        {values.map((value, i) => (
                          <li key={i}>
                            <bdi>{value}</bdi>
                          </li>
                        ))}
                      </ul>
                    )}
                  </td>
                  <td>
                    <select
                      id={selectId}
                      className="input import-target"
                      data-testid={`import-map-${column}`}
                      value={selection[column] ?? ""}
                      aria-invalid={message ? true : undefined}
                      aria-describedby={message ? `${selectId}-error` : undefined}
                      onChange={(e) => onSelect(column, e.target.value)}
                    >
                      <option value="">{t("imports.map.skip")}</option>
                      <optgroup label={t("imports.map.standard")}>
                        {standard.map((target) => (
                          <option key={target.field} value={target.field}>
                            {optionLabel(target)}
                          </option>
                        ))}
                      </optgroup>
                      {custom.length > 0 && (
                        <optgroup label={t("imports.map.custom")}>
                          {custom.map((target) => (
                            <option key={target.field} value={target.field}>
                              {optionLabel(target)}
                            </option>
                          ))}
                        </optgroup>
                      )}
                    </select>
                    {message && (
                      <span id={`${selectId}-error`} className="field-error" role={error ? "alert" : undefined} data-testid={`import-map-error-${column}`}>
                        {message}
                      </span>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>

      <div className="import-options">
        {showDates && (
          <div className="field" data-testid="import-date-order-field">
            <label htmlFor={dateId} className="field-label">
              {t("imports.map.dateOrder")}
              {(mustAsk || dateOrderAsked) && (
                <span className="field-required" title={t("imports.map.required")} aria-hidden="true">
                  *
                </span>
              )}
            </label>
            <select
              ref={dateOrderRef}
              id={dateId}
              className="input select-compact"
              data-testid="import-date-order"
              value={dateOrder || shown || ""}
              required={mustAsk || dateOrderAsked}
              aria-invalid={errors.dateOrder ? true : undefined}
              aria-describedby={`${dateId}-hint`}
              onChange={(e) => onDateOrder(isDateOrder(e.target.value) ? e.target.value : "")}
            >
              <option value="">{t("imports.map.dateOrderChoose")}</option>
              {DATE_ORDERS.map((order) => (
                <option key={order} value={order}>
                  {sample ? `${dateOrderLabel(t, order)} — ${dateExample(t, sample, order, language)}` : dateOrderLabel(t, order)}
                </option>
              ))}
            </select>
            {errors.dateOrder ? (
              <span id={`${dateId}-hint`} className="field-error" role="alert" data-testid="import-date-order-error">
                {errors.dateOrder}
              </span>
            ) : (
              <span id={`${dateId}-hint`} className="field-hint" data-testid="import-date-order-hint">
                {!dateOrder && shown ? t("imports.map.dateOrderShown", { order: dateOrderLabel(t, shown) }) : t("imports.map.dateOrderAsk")}
              </span>
            )}
          </div>
        )}

        <div className="field">
          <label htmlFor={countryId} className="field-label">
            {t("imports.map.country")}
          </label>
          <input
            id={countryId}
            className="input import-country"
            data-testid="import-default-country"
            value={country}
            maxLength={2}
            autoComplete="off"
            spellCheck={false}
            dir="ltr"
            aria-invalid={errors.country ? true : undefined}
            aria-describedby={`${countryId}-hint`}
            onChange={(e) => onCountry(e.target.value.toUpperCase())}
          />
          {errors.country ? (
            <span id={`${countryId}-hint`} className="field-error" role="alert" data-testid="import-country-error">
              {errors.country}
            </span>
          ) : (
            <span id={`${countryId}-hint`} className="field-hint">
              {t("imports.map.countryHint")}
            </span>
          )}
        </div>
      </div>

      <div className="import-actions">
        {/* Not disabled while busy: a disabled button would drop the focus it holds. */}
        <button
          type="button"
          className="button button-primary"
          data-testid="import-preview-button"
          aria-disabled={previewing || undefined}
          aria-busy={previewing || undefined}
          onClick={() => {
            if (!previewing) onPreview();
          }}
        >
          {previewing ? t("imports.preview.reading") : t("imports.preview.button")}
        </button>
      </div>
    </section>
  );
}

/** A column without a heading, by its place: "Column 3". */
export function columnName(t: TFunction, column: number, language: Language): string {
  return t("imports.map.untitledColumn", { number: formatSerial(column + 1, language) });
}

/** The problems the core reported with the settings, in words, for the step to show beside each. */
export type MappingErrors = Props["errors"];
