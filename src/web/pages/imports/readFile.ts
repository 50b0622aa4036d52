/** The text of a file chosen in a form's file input, or null when none was chosen or it could not be read. */
export async function readChosenFile(value: FormDataEntryValue | null): Promise<{ name: string; text: string } | null> {
  if (!(value instanceof File) || value.name === '') return null;
  try {
    return { name: value.name, text: await value.text() };
  } catch {
    return null;
  }
}
