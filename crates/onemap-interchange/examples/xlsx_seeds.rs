//! Writes the XLSX seeds of the fuzz corpus into `fixtures/fuzz/xlsx/` with rust_xlsxwriter:
//! `cargo run -p onemap-interchange --example xlsx_seeds`. The files are committed; run this
//! again only to change them (fixtures/fuzz/README.md says what each one exercises).

use std::path::Path;

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Formula, Workbook, Worksheet, XlsxError};

/// Fills a new workbook with one seed's sheets.
type Build = fn(&mut Workbook) -> Result<(), XlsxError>;

/// Name, type, people, equipment, longitude, latitude, founded (y, m, d), on duty.
type TeamRow = (&'static str, &'static str, f64, &'static str, f64, f64, (u16, u8, u8), bool);

fn main() -> Result<(), XlsxError> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/fuzz/xlsx");
    std::fs::create_dir_all(&dir).map_err(XlsxError::IoError)?;
    let seeds: [(&str, Build); 7] = [
        ("teams.xlsx", teams),
        ("shelters-offset-hidden.xlsx", shelters_offset_hidden),
        ("warehouses-formulas.xlsx", warehouses_formulas),
        ("error-cell.xlsx", error_cell),
        ("numbers-dates.xlsx", numbers_dates),
        ("header-only.xlsx", header_only),
        ("empty.xlsx", empty),
    ];
    for (name, build) in seeds {
        let mut book = Workbook::new();
        // A fixed creation time so running this again gives the same bytes.
        let created = ExcelDateTime::from_ymd(2026, 1, 1)?;
        book.set_properties(&DocProperties::new().set_creation_datetime(&created));
        build(&mut book)?;
        book.save(dir.join(name))?;
        println!("wrote {name}");
    }
    Ok(())
}

fn header(sheet: &mut Worksheet, row: u32, col: u16, names: &[&str]) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    for (i, n) in names.iter().enumerate() {
        sheet.write_string_with_format(row, col + i as u16, *n, &bold)?;
    }
    Ok(())
}

/// A rescue-team registry: Chinese text, ';' lists, integers, decimals, dates, booleans.
fn teams(book: &mut Workbook) -> Result<(), XlsxError> {
    let sheet = book.add_worksheet().set_name("救援队伍")?;
    header(sheet, 0, 0, &["名称", "类型", "人数", "装备", "经度", "纬度", "成立日期", "值班"])?;
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let rows: [TeamRow; 3] = [
        ("通化市消防救援支队", "消防", 120.0, "冲锋舟;救生衣;抽水泵", 125.9398, 41.7283, (2019, 3, 1), true),
        ("东昌区应急救援队", "综合", 45.0, "发电机;照明车", 125.9512, 41.7218, (2021, 7, 15), false),
        ("二道江区矿山救护队", "矿山", 32.0, "呼吸器", 126.0441, 41.7756, (2015, 11, 23), true),
    ];
    for (i, (name, kind, people, kit, lon, lat, (y, m, d), duty)) in rows.into_iter().enumerate() {
        let r = i as u32 + 1;
        sheet.write_string(r, 0, name)?;
        sheet.write_string(r, 1, kind)?;
        sheet.write_number(r, 2, people)?;
        sheet.write_string(r, 3, kit)?;
        sheet.write_number(r, 4, lon)?;
        sheet.write_number(r, 5, lat)?;
        sheet.write_datetime_with_format(r, 6, &ExcelDateTime::from_ymd(y, m, d)?, &date)?;
        sheet.write_boolean(r, 7, duty)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

/// A hidden instructions sheet first; the data sheet's header starts at B3 (rows 1 and 2 and
/// column A empty) with blank rows between the data rows.
fn shelters_offset_hidden(book: &mut Workbook) -> Result<(), XlsxError> {
    let notes = book.add_worksheet().set_name("填写说明")?;
    notes.write_string(0, 0, "请在“避难场所”表中填写，经纬度使用WGS84。")?;
    notes.set_hidden(true);
    let sheet = book.add_worksheet().set_name("避难场所")?;
    sheet.set_active(true);
    header(sheet, 2, 1, &["场所名称", "容量", "设施", "lon", "lat"])?;
    sheet.write_string(3, 1, "通化市体育中心")?;
    sheet.write_number(3, 2, 2900)?;
    sheet.write_string(3, 3, "饮用水;医疗点;厕所")?;
    sheet.write_number(3, 4, 125.9365)?;
    sheet.write_number(3, 5, 41.7349)?;
    sheet.write_string(6, 1, "东昌区第一中学")?;
    sheet.write_number(6, 2, 850)?;
    sheet.write_number(6, 4, 125.9471)?;
    sheet.write_number(6, 5, 41.7251)?;
    Ok(())
}

/// Stock lines with formulas carrying cached values (never evaluated by the reader).
fn warehouses_formulas(book: &mut Workbook) -> Result<(), XlsxError> {
    let sheet = book.add_worksheet().set_name("物资")?;
    header(sheet, 0, 0, &["仓库", "物资", "单价", "数量", "金额", "备注"])?;
    sheet.write_string(1, 0, "通化市应急物资储备库")?;
    sheet.write_string(1, 1, "棉被")?;
    sheet.write_number(1, 2, 85.5)?;
    sheet.write_number(1, 3, 2000)?;
    sheet.write_formula(1, 4, Formula::new("=C2*D2").set_result("171000"))?;
    sheet.write_formula(1, 5, Formula::new("=IF(D2>1000,\"充足\",\"不足\")").set_result("充足"))?;
    sheet.write_string(2, 0, "柳河县储备点")?;
    sheet.write_string(2, 1, "=HYPERLINK(\"http://example.invalid\")")?;
    sheet.write_number(2, 2, 12.25)?;
    sheet.write_number(2, 3, 300)?;
    sheet.write_formula(2, 4, Formula::new("=C3*D3").set_result("3675"))?;
    Ok(())
}

/// A formula whose cached value is an Excel error: the reader must refuse it by row and column.
fn error_cell(book: &mut Workbook) -> Result<(), XlsxError> {
    let sheet = book.add_worksheet();
    header(sheet, 0, 0, &["名称", "人均"])?;
    sheet.write_string(1, 0, "集安市救援队")?;
    sheet.write_number(1, 1, 3)?;
    sheet.write_string(2, 0, "辉南县救援队")?;
    sheet.write_formula(2, 1, Formula::new("=1/0").set_result("#DIV/0!"))?;
    Ok(())
}

/// Numbers and times at the edges: huge, tiny, negative zero, an 18-digit ID as text, times
/// of day, date-times, durations.
fn numbers_dates(book: &mut Workbook) -> Result<(), XlsxError> {
    let sheet = book.add_worksheet();
    header(sheet, 0, 0, &["值", "身份证号", "时间", "时刻", "时长"])?;
    let datetime = Format::new().set_num_format("yyyy-mm-dd hh:mm:ss");
    let time = Format::new().set_num_format("hh:mm:ss");
    let duration = Format::new().set_num_format("[h]:mm:ss");
    let values = [1e300, -0.0, 0.1 + 0.2, 2900.0, -3.5, 1e-7];
    for (i, v) in values.into_iter().enumerate() {
        let r = i as u32 + 1;
        sheet.write_number(r, 0, v)?;
        sheet.write_string(r, 1, "220502199001011234")?;
        sheet.write_datetime_with_format(
            r,
            2,
            &ExcelDateTime::from_ymd(2026, 11, 23)?.and_hms(8, 30, i as u8)?,
            &datetime,
        )?;
        sheet.write_datetime_with_format(r, 3, &ExcelDateTime::from_hms(8, 30, 0)?, &time)?;
        sheet.write_number_with_format(r, 4, 1.5 + i as f64, &duration)?;
    }
    Ok(())
}

fn header_only(book: &mut Workbook) -> Result<(), XlsxError> {
    let sheet = book.add_worksheet();
    header(sheet, 0, 0, &["名称", "经度", "纬度"])?;
    Ok(())
}

fn empty(book: &mut Workbook) -> Result<(), XlsxError> {
    book.add_worksheet();
    Ok(())
}
