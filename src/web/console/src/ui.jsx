// Shared pieces of the pages: loading data, errors, labelled fields,
// tables, pagers and the reason form every accountable action asks for.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

// Runs `load(signal)` when `deps` change (and on reload()); the previous
// request is aborted. Returns {data, error, loading, reload}.
export function useLoad(load, deps) {
  const [state, setState] = useState({ data: null, error: null, loading: true });
  const [serial, setSerial] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    const abort = new AbortController();
    setState((previous) => ({ ...previous, loading: true }));
    loadRef.current(abort.signal).then(
      (data) => { if (!abort.signal.aborted) setState({ data, error: null, loading: false }); },
      (error) => {
        if (!abort.signal.aborted) setState({ data: null, error, loading: false });
      });
    return () => abort.abort();
  }, [...deps, serial]);
  const reload = useCallback(() => setSerial((n) => n + 1), []);
  return { ...state, reload };
}

export function ErrorNote({ error }) {
  if (!error) return null;
  return (
    <p class="error" role="alert">
      {error.status ? <strong>{error.status} {error.slug || 'error'}: </strong> : null}
      {error.message}
    </p>
  );
}

export function Loading({ when }) {
  return when ? <p class="muted" aria-live="polite">Loading…</p> : null;
}

export function Field({ id, label, children, hint }) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {children}
      {hint ? <small class="muted">{hint}</small> : null}
    </div>
  );
}

export function TextInput({ id, label, value, onInput, type = 'text', ...rest }) {
  return (
    <Field id={id} label={label}>
      <input id={id} name={id} type={type} value={value ?? ''}
        onInput={(event) => onInput(event.currentTarget.value)} {...rest} />
    </Field>
  );
}

export function Select({ id, label, value, onChange, options, blank = 'any' }) {
  return (
    <Field id={id} label={label}>
      <select id={id} name={id} value={value ?? ''}
        onChange={(event) => onChange(event.currentTarget.value)}>
        {blank !== null ? <option value="">{blank}</option> : null}
        {options.map((option) => (
          <option value={option}>{option}</option>
        ))}
      </select>
    </Field>
  );
}

// columns: [{label, render(row)}]
export function Table({ caption, columns, rows, empty = 'Nothing to show.', rowKey }) {
  if (!rows || rows.length === 0) return <p class="muted">{empty}</p>;
  return (
    <div class="table-wrap">
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>{columns.map((column) => <th scope="col">{column.label}</th>)}</tr>
        </thead>
        <tbody>
          {rows.map((row, index) => (
            <tr key={rowKey ? rowKey(row) : index}>
              {columns.map((column) => <td>{column.render(row)}</td>)}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function Badge({ tone, children }) {
  return <span class={`badge badge-${tone || 'plain'}`}>{children}</span>;
}

const kTierTone = { low: 'ok', medium: 'warn', high: 'bad', critical: 'bad' };
export function Tier({ tier }) {
  return tier ? <Badge tone={kTierTone[tier]}>{tier}</Badge> : null;
}

export function When({ at }) {
  if (!at) return <span class="muted">never</span>;
  return <time datetime={at}>{at.replace('T', ' ').replace(/\.\d+/, '').replace('Z', ' UTC')}</time>;
}

// Cursor paging: "First page" and "Next page".
export function Pager({ hasPrevious, next, onFirst, onNext }) {
  if (!hasPrevious && !next) return null;
  return (
    <nav class="pager" aria-label="Pages">
      <button type="button" onClick={onFirst} disabled={!hasPrevious}>First page</button>
      <button type="button" onClick={onNext} disabled={!next}>Next page</button>
    </nav>
  );
}

// A button that opens a small form asking for the reason, then runs
// `onSubmit(reason)`; shows the refusal if the server answers one.
export function ReasonAction({ label, tone = 'plain', onSubmit, id, required = true }) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const inputRef = useRef(null);
  useEffect(() => { if (open) inputRef.current?.focus(); }, [open]);
  if (!open) {
    return <button type="button" class={`btn-${tone}`} onClick={() => setOpen(true)}>{label}</button>;
  }
  const submit = async (event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await onSubmit(reason);
      setOpen(false);
      setReason('');
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="reason-form" onSubmit={submit}>
      <Field id={`${id}-reason`} label={`Reason to ${label.toLowerCase()}`}>
        <input id={`${id}-reason`} ref={inputRef} value={reason} required={required}
          onInput={(event) => setReason(event.currentTarget.value)} />
      </Field>
      <button type="submit" class={`btn-${tone}`} disabled={busy}>Confirm: {label}</button>
      <button type="button" onClick={() => setOpen(false)}>Cancel</button>
      <ErrorNote error={error} />
    </form>
  );
}
